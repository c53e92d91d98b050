using System.Data.Common;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// Writes a save's new and changed messages, changed contacts and new message status changes with one prepared statement per
/// shape, re-bound per row, instead of EF Core's per-entity commands. A dispatch pass changes about 1,500 such rows, and
/// EF Core spent more CPU building, ordering and batching their commands than SQLite spent running them (27% of
/// dispatch CPU against 25%, BENCHMARKS.md). What it writes it marks saved (status changes, whose keys the database
/// generates and nobody reads back in the pass, are detached); everything else is left to EF Core's own save. None of
/// these tables is the target of a foreign key, and a row whose foreign key changed is left to EF Core, so the order of
/// the writes cannot matter.
/// Values go through each property's EF Core type mapping, so they are stored exactly as EF Core stores them.
/// </summary>
internal static class SqliteBulkRows
{
    /// <summary>Writes what it can of the pending changes, inside the current transaction; returns the rows written.</summary>
    public static int Write(AppDbContext db)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = (SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        var updates = new Dictionary<string, List<EntityEntry>>(StringComparer.Ordinal);
        var statusChanges = new List<EntityEntry>();
        var messages = new List<EntityEntry>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry)
            {
                // A changed foreign key may point at a row this save adds: EF Core orders such writes, so it keeps them.
                case { State: EntityState.Modified, Entity: Message or Contact } when !entry.Properties.Any(p => p.IsModified && p.Metadata.IsForeignKey()):
                    var shape = entry.Metadata.Name + ":" + string.Join(',', entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name));
                    if (!updates.TryGetValue(shape, out var list))
                    {
                        updates[shape] = list = [];
                    }

                    list.Add(entry);
                    break;
                case { State: EntityState.Added, Entity: MessageStatusChange }:
                    statusChanges.Add(entry);
                    break;
                case { State: EntityState.Added, Entity: Message } when !entry.Properties.Any(p => p.IsTemporary):
                    messages.Add(entry);
                    break;
            }
        }

        var written = 0;
        foreach (var entries in updates.Values)
        {
            written += Update(connection, transaction, entries);
        }

        if (messages.Count > 0)
        {
            written += Insert(connection, transaction, messages, withKey: true);
        }

        if (statusChanges.Count > 0)
        {
            written += Insert(connection, transaction, statusChanges, withKey: false);
        }

        return written;
    }

    private static int Update(SqliteConnection connection, SqliteTransaction transaction, List<EntityEntry> entries)
    {
        var type = entries[0].Metadata;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var key = type.FindPrimaryKey()!.Properties.Single();
        var columns = entries[0].Properties.Where(p => p.IsModified).Select(p => p.Metadata).ToArray();
        if (columns.Any(c => c.IsConcurrencyToken || c.IsPrimaryKey()) || type.GetProperties().Any(p => p.IsConcurrencyToken))
        {
            throw new InvalidOperationException($"{type.DisplayName()} has a concurrency token or a changed key: it must be saved by EF Core.");
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE {Quote(table.Name)} SET {string.Join(", ", columns.Select((c, i) => $"{Quote(c.GetColumnName(table)!)} = $p{i}"))} WHERE {Quote(key.GetColumnName(table)!)} = $key";
        foreach (var entry in entries)
        {
            command.Parameters.Clear();
            for (var i = 0; i < columns.Length; i++)
            {
                command.Parameters.Add(Parameter(command, columns[i], $"$p{i}", entry.CurrentValues[columns[i]]));
            }

            command.Parameters.Add(Parameter(command, key, "$key", entry.OriginalValues[key]));
            if (command.ExecuteNonQuery() != 1)
            {
                throw new DbUpdateConcurrencyException($"A {type.DisplayName()} to update was not found (deleted meanwhile?).");
            }

            entry.State = EntityState.Unchanged;
        }

        return entries.Count;
    }

    /// <summary>
    /// Inserts new rows of one type: with their key (set by the application, the row is then saved) or without it (the
    /// database numbers the row, which is then detached).
    /// </summary>
    private static int Insert(SqliteConnection connection, SqliteTransaction transaction, List<EntityEntry> entries, bool withKey)
    {
        var type = entries[0].Metadata;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        if (type.GetProperties().Any(p => !p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))
        {
            throw new InvalidOperationException($"{type.DisplayName()} has values the database generates: it must be saved by EF Core.");
        }

        var columns = type.GetProperties().Where(p => withKey || !p.IsPrimaryKey()).ToArray();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", columns.Select(c => Quote(c.GetColumnName(table)!)))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        foreach (var entry in entries)
        {
            command.Parameters.Clear();
            for (var i = 0; i < columns.Length; i++)
            {
                command.Parameters.Add(Parameter(command, columns[i], $"$p{i}", entry.CurrentValues[columns[i]]));
            }

            command.ExecuteNonQuery();
            entry.State = withKey ? EntityState.Unchanged : EntityState.Detached; // a key the database chose is not read back
        }

        return entries.Count;
    }

    private static DbParameter Parameter(DbCommand command, IProperty property, string name, object? value) =>
        ((RelationalTypeMapping)property.GetRelationalTypeMapping()).CreateParameter(command, name, value, property.IsNullable);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
