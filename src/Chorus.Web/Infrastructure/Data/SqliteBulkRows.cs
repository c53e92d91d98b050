using System.Data.Common;
using Chorus.Features.Analytics.Counters;
using Chorus.Features.Audit;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

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

    /// <summary>
    /// Writes the save's new audit entries, once <see cref="Features.Audit.AuditChain"/> has sealed them, and its new
    /// counter rows, inside the current transaction. EF Core's save of these was a fifth of the inbound drain's write
    /// time. Neither table has a foreign key, so writing them before EF Core's own save cannot break one.
    /// </summary>
    public static int WriteSealed(AppDbContext db)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = (SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        var audit = new List<EntityEntry>();
        var counters = new List<EntityEntry>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry)
            {
                case { State: EntityState.Added, Entity: AuditEvent }:
                    audit.Add(entry);
                    break;
                case { State: EntityState.Added, Entity: CampaignCounter }:
                    counters.Add(entry);
                    break;
            }
        }

        var written = 0;
        if (audit.Count > 0)
        {
            written += Insert(connection, transaction, audit, withKey: true);
        }

        if (counters.Count > 0)
        {
            written += Insert(connection, transaction, counters, withKey: false);
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
        command.CommandText = $"UPDATE {Quote(table.Name)} SET {string.Join(", ", columns.Select((c, i) => $"{Quote(c.GetColumnName(table)!)} = $p{i}"))} WHERE {Quote(key.GetColumnName(table)!)} = $key0";
        var values = new Bound(command, columns, "$p");
        var keyValue = new Bound(command, [key], "$key");
        foreach (var entry in entries)
        {
            values.Set(entry.CurrentValues);
            keyValue.Set(entry.OriginalValues);
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
        var values = new Bound(command, columns, "$p");
        foreach (var entry in entries)
        {
            values.Set(entry.CurrentValues);
            command.ExecuteNonQuery();
            entry.State = withKey ? EntityState.Unchanged : EntityState.Detached; // a key the database chose is not read back
            if (withKey)
            {
                // What was stored is now the original: an audit entry is sealed after it was added, so the snapshot EF
                // Core took then would read as a change.
                entry.OriginalValues.SetValues(entry.CurrentValues);
            }
        }

        return entries.Count;
    }

    /// <summary>
    /// A command's parameters for some columns, made once by each column's EF Core type mapping (so they bind as EF Core
    /// binds them) and given each row's values converted the way the mapping converts them. Making a parameter per value
    /// was 29% of this class's CPU in the inbound drain.
    /// </summary>
    private sealed class Bound
    {
        private readonly IProperty[] _columns;
        private readonly DbParameter[] _parameters;
        private readonly ValueConverter?[] _converters;

        public Bound(DbCommand command, IProperty[] columns, string prefix)
        {
            _columns = columns;
            _parameters = new DbParameter[columns.Length];
            _converters = new ValueConverter?[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                var mapping = (RelationalTypeMapping)columns[i].GetRelationalTypeMapping();
                _parameters[i] = mapping.CreateParameter(command, $"{prefix}{i}", null, columns[i].IsNullable);
                _converters[i] = mapping.Converter;
                command.Parameters.Add(_parameters[i]);
            }
        }

        public void Set(PropertyValues row)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                var value = row[_columns[i]];
                if (value is not null && _converters[i] is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                else if (value is Enum)
                {
                    value = Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), System.Globalization.CultureInfo.InvariantCulture);
                }

                _parameters[i].Value = value ?? DBNull.Value;
            }
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
