using Chorus.Features.Contacts.Uploads.Parsing;

namespace Chorus.UnitTests.Features.Contacts.Uploads;

public sealed class SizeLimitedStreamTests
{
    [Fact]
    public void Reads_a_source_of_exactly_the_limit()
    {
        using var limited = new SizeLimitedStream(new MemoryStream(new byte[1000]), maxBytes: 1000);

        limited.CopyTo(Stream.Null);

        Assert.Equal(1000, limited.BytesRead);
        Assert.False(limited.LimitExceeded);
    }

    [Fact]
    public void Throws_once_the_source_holds_one_byte_more_than_the_limit()
    {
        using var limited = new SizeLimitedStream(new MemoryStream(new byte[1001]), maxBytes: 1000);

        var error = Assert.Throws<StreamSizeLimitExceededException>(() => limited.CopyTo(Stream.Null));

        Assert.Equal(1000, error.MaxBytes);
        Assert.True(limited.LimitExceeded);
        Assert.Throws<StreamSizeLimitExceededException>(() => limited.ReadByte());
    }

    [Fact]
    public async Task Throws_on_asynchronous_reads_too()
    {
        await using var limited = new SizeLimitedStream(new MemoryStream(new byte[5000]), maxBytes: 4096);

        await Assert.ThrowsAsync<StreamSizeLimitExceededException>(() => limited.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Leaves_the_source_open_unless_told_otherwise()
    {
        var source = new MemoryStream(new byte[10]);

        new SizeLimitedStream(source).Dispose();
        Assert.True(source.CanRead);

        new SizeLimitedStream(source, leaveOpen: false).Dispose();
        Assert.False(source.CanRead);
    }
}
