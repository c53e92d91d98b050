namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <summary>
/// A read-only view of a stream that refuses to deliver more than <see cref="MaxBytes"/> bytes, so an upload
/// can't exhaust the disk or a worker's time however it was sent (chunked requests have no Content-Length).
/// Reading past the limit throws <see cref="StreamSizeLimitExceededException"/>; <see cref="ContactCsvReader"/>
/// turns that into a <see cref="CsvFileErrorCode.FileTooLarge"/> error.
/// </summary>
public sealed class SizeLimitedStream : Stream
{
    /// <summary>1 GiB: about ten million contact rows, far above any campaign's list.</summary>
    public const long DefaultMaxBytes = 1L << 30;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;

    public SizeLimitedStream(Stream inner, long maxBytes = DefaultMaxBytes, bool leaveOpen = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (!inner.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(inner));
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
        MaxBytes = maxBytes;
    }

    public long MaxBytes { get; }

    public long BytesRead { get; private set; }

    /// <summary>The source held more than <see cref="MaxBytes"/> bytes; every later read throws.</summary>
    public bool LimitExceeded { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ThrowIfExceeded();
        var read = _inner.Read(buffer[..Allowed(buffer.Length)]);
        return Count(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfExceeded();
        var read = await _inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken);
        return Count(read);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // One byte more than the limit allows is requested, so a source of exactly MaxBytes passes and one byte more fails.
    private int Allowed(int requested) => (int)Math.Min(requested, MaxBytes - BytesRead + 1);

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > MaxBytes)
        {
            LimitExceeded = true;
            ThrowIfExceeded();
        }

        return read;
    }

    private void ThrowIfExceeded()
    {
        if (LimitExceeded)
        {
            throw new StreamSizeLimitExceededException(MaxBytes);
        }
    }
}

/// <summary>Thrown by <see cref="SizeLimitedStream"/> when the source holds more bytes than allowed.</summary>
public sealed class StreamSizeLimitExceededException : IOException
{
    public StreamSizeLimitExceededException(long maxBytes)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The file is larger than the {maxBytes:N0}-byte limit.")) => MaxBytes = maxBytes;

    public StreamSizeLimitExceededException()
    {
    }

    public StreamSizeLimitExceededException(string message)
        : base(message)
    {
    }

    public StreamSizeLimitExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long MaxBytes { get; }
}
