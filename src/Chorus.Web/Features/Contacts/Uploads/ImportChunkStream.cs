using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Contacts.Uploads;

/// <summary>Reads a stored upload back as one forward-only stream, one query's chunks (2 MiB) in memory at a time.</summary>
internal sealed class ImportChunkStream(AppDbContext db, Guid importId) : Stream
{
    private readonly Queue<byte[]> _fetched = new();
    private byte[] _chunk = [];
    private int _offset;
    private int _nextIndex;
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get; set; }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset >= _chunk.Length)
        {
            if (_fetched.Count == 0 && !await FetchAsync(cancellationToken))
            {
                return 0;
            }

            _chunk = _fetched.Dequeue();
            _offset = 0;
        }

        var n = Math.Min(buffer.Length, _chunk.Length - _offset);
        _chunk.AsMemory(_offset, n).CopyTo(buffer);
        _offset += n;
        Position += n;
        return n;
    }

    /// <summary>The next <see cref="ImportChunk.PerRoundTrip"/> chunks, in order; false once the file has no more.</summary>
    private async Task<bool> FetchAsync(CancellationToken ct)
    {
        if (_ended)
        {
            return false;
        }

        var (from, to) = (_nextIndex, _nextIndex + ImportChunk.PerRoundTrip);
        var chunks = await db.ImportChunks.AsNoTracking()
            .Where(c => c.ImportId == importId && c.Index >= from && c.Index < to)
            .OrderBy(c => c.Index)
            .Select(c => c.Data)
            .ToListAsync(ct);
        chunks.ForEach(_fetched.Enqueue);
        _nextIndex = to;
        _ended = chunks.Count < ImportChunk.PerRoundTrip;
        return chunks.Count > 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
