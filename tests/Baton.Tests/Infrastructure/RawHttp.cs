using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Baton.Tests.Infrastructure;

/// <summary>What came back on a raw connection: the status line's code, the head, and the body as sent (still
/// chunk-framed if it was).</summary>
public sealed record RawResponse(int Status, string Head, string Body)
{
    public bool IsProblemDetails => Head.Contains("Content-Type: application/problem+json", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// HTTP/1.1 over a plain socket, byte for byte as the test writes it, for the requests HttpClient will not send:
/// broken chunk framing, a body that never comes, a body cut short. The request is written while the answer is read,
/// so a server that answers early (and closes) is heard.
/// </summary>
public static class RawHttp
{
    /// <summary>A request head ending in the blank line, with <c>Connection: close</c> so the answer ends at EOF.</summary>
    public static string Head(string method, string path, params string[] headers) =>
        $"{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";

    /// <summary><paramref name="body"/> as chunked transfer coding, in chunks of <paramref name="chunkSize"/> bytes.</summary>
    public static byte[] Chunked(byte[] body, int chunkSize)
    {
        using var framed = new MemoryStream();
        for (var offset = 0; offset < body.Length; offset += chunkSize)
        {
            var length = Math.Min(chunkSize, body.Length - offset);
            framed.Write(Encoding.ASCII.GetBytes(length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            framed.Write(body, offset, length);
            framed.Write("\r\n"u8);
        }
        framed.Write("0\r\n\r\n"u8);
        return framed.ToArray();
    }

    /// <summary>Sends <paramref name="head"/> then <paramref name="body"/>, and keeps the connection open until the answer
    /// ends; with <paramref name="halfClose"/> our side is shut for sending after them (a body cut short).</summary>
    /// <exception cref="TimeoutException">No complete answer within <paramref name="timeout"/>.</exception>
    public static async Task<RawResponse> SendAsync(Uri server, string head, byte[]? body = null, bool halfClose = false, TimeSpan? timeout = null)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(server.Host, server.Port, deadline.Token);

        var writing = WriteAsync(socket, [.. Encoding.ASCII.GetBytes(head), .. body ?? []], halfClose, deadline.Token);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0) break;
                received.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No complete answer within {timeout ?? TimeSpan.FromSeconds(30)}; got: {Encoding.UTF8.GetString(received.ToArray())}");
        }
        catch (SocketException) when (received.Length > 0)
        {
            // The server answered, then reset the connection over the request bytes it did not read.
        }
        await writing;
        return Parse(Encoding.UTF8.GetString(received.ToArray()));
    }

    static async Task WriteAsync(Socket socket, byte[] bytes, bool halfClose, CancellationToken cancellationToken)
    {
        try
        {
            for (var offset = 0; offset < bytes.Length;)
                offset += await socket.SendAsync(bytes.AsMemory(offset, Math.Min(64 * 1024, bytes.Length - offset)), SocketFlags.None, cancellationToken);
            if (halfClose) socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server answered and stopped reading before the whole request was sent: what the test is about.
        }
    }

    /// <exception cref="IOException">The connection closed without a word.</exception>
    static RawResponse Parse(string text)
    {
        if (text.Length == 0) throw new IOException("The server closed the connection without answering.");
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || end < 0)
            throw new InvalidDataException($"Not an HTTP answer: {text}");
        var status = int.Parse(text.AsSpan(9, 3), CultureInfo.InvariantCulture);
        return new RawResponse(status, text[..end], text[(end + 4)..]);
    }
}
