using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Contacts.Uploads;

/// <summary>Reads a stored upload back as one forward-only stream, one chunk in memory at a time.</summary>
internal sealed class ImportChunkStream(AppDbContext db, Guid importId) : Stream
{
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
            if (_ended)
            {
                return 0;
            }

            var index = _nextIndex++;
            var next = await db.ImportChunks.AsNoTracking()
                .Where(c => c.ImportId == importId && c.Index == index)
                .Select(c => c.Data)
                .FirstOrDefaultAsync(cancellationToken);
            if (next is null)
            {
                _ended = true;
                return 0;
            }

            _chunk = next;
            _offset = 0;
        }

        var n = Math.Min(buffer.Length, _chunk.Length - _offset);
        _chunk.AsMemory(_offset, n).CopyTo(buffer);
        _offset += n;
        Position += n;
        return n;
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
