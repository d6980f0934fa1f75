using System.Net;

namespace Baton.Tests.Voice;

/// <summary>A body that sends its first bytes, then holds the rest until <see cref="Release"/>: an upload still arriving.</summary>
public sealed class VoiceWebHeldContent(byte[] bytes, int firstBytes) : HttpContent
{
    readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(bytes.AsMemory(0, firstBytes));
        await stream.FlushAsync();
        await release.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await stream.WriteAsync(bytes.AsMemory(firstBytes));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
