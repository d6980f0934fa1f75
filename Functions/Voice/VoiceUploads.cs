using System.Text.RegularExpressions;
using Baton.Activities.Transcription;
using Baton.Durable.Http;
using Baton.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Baton.Functions.Voice;

/// <summary>An upload received under its temporary name, with what its bytes say.</summary>
public sealed record StoredUpload(string Path, string Format, long Bytes, string? Project);

/// <summary>
/// Receives an upload onto disk as it arrives — a multipart form (one file part, an optional <c>project</c> field, read
/// with <see cref="MultipartReader"/>, never <c>IFormFile</c>, which buffers) or the raw body — counting bytes, so memory
/// stays flat whatever the size. The bytes decide the format (<see cref="AudioFormats"/>), never the declared type or
/// name. Written under a temporary name and renamed (<see cref="FinalPath"/>) only once it has been measured: a refused or broken
/// upload leaves nothing behind.
/// </summary>
public static partial class VoiceUploads
{
    public const string ProjectField = "project";
    const int MaxFieldBytes = 256;
    /// <summary>A form's boundaries, part headers and small fields, on top of the audio itself.</summary>
    const long FormOverhead = 16 * 1024;

    /// <summary>Streams the body to <c>{id}.upload.tmp</c>.</summary>
    /// <exception cref="HttpProblem">400 empty or malformed, 413 too large, 415 not audio; the temporary file is gone.</exception>
    public static async Task<StoredUpload> ReceiveAsync(HttpRequest request, string folder, string id, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes + FormOverhead) throw TooLarge(maxBytes);
        RequestBodyLimit.Allow(request, maxBytes + FormOverhead);
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, id + ".upload.tmp");
        try
        {
            long bytes;
            byte[] head;
            string? project;
            if (IsMultipart(request, out var boundary))
            {
                (bytes, head, project) = await ReceiveFormAsync(request.Body, boundary, temporary, maxBytes, cancellationToken);
            }
            else
            {
                project = Project(request.Query[ProjectField]);
                (bytes, head) = await CopyAsync(request.Body, temporary, maxBytes, cancellationToken);
            }
            if (bytes == 0) throw HttpProblem.BadRequest("The upload is empty: send a recording (" + AudioFormats.Accepted + ").");
            var format = AudioFormats.Detect(head)
                ?? throw HttpProblem.UnsupportedMediaType($"The upload is not audio Baton takes ({AudioFormats.Accepted}); its bytes say otherwise, whatever its type or name.");
            return new StoredUpload(temporary, format, bytes, project);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Where an accepted upload is kept: <c>{folder}/{id}.upload</c>.</summary>
    public static string FinalPath(string folder, string id) => Path.Combine(folder, id + ".upload");

    static bool IsMultipart(HttpRequest request, out string boundary)
    {
        boundary = "";
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return false;
        boundary = HeaderUtilities.RemoveQuotes(type.Boundary).ToString();
        if (boundary.Length is 0 or > 200) throw HttpProblem.BadRequest("The multipart form has no usable boundary.");
        return true;
    }

    static async Task<(long Bytes, byte[] Head, string? Project)> ReceiveFormAsync(Stream body, string boundary, string path, long maxBytes,
        CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, body) { HeadersCountLimit = 8, HeadersLengthLimit = 4 * 1024 };
        (long Bytes, byte[] Head)? file = null;
        string? project = null;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    throw HttpProblem.BadRequest("Each part of the form needs a Content-Disposition: form-data header.");
                if (disposition.IsFileDisposition())
                {
                    if (file is not null) throw HttpProblem.BadRequest("Send one recording per request (the form has more than one file).");
                    file = await CopyAsync(section.Body, path, maxBytes, cancellationToken);
                }
                else if (HeaderUtilities.RemoveQuotes(disposition.Name).Equals(ProjectField, StringComparison.Ordinal))
                {
                    project = Project(await ReadFieldAsync(section.Body, cancellationToken));
                }
                else
                {
                    await ReadFieldAsync(section.Body, cancellationToken);
                }
            }
        }
        catch (InvalidDataException e)
        {
            // MultipartReader's word for a form that breaks its framing or its header limits.
            throw HttpProblem.BadRequest("The multipart form is malformed: " + e.Message);
        }
        if (file is not { } received) throw HttpProblem.BadRequest("The form has no file part: add the recording as a file.");
        return (received.Bytes, received.Head, project);
    }

    /// <summary>Copies <paramref name="source"/> to a new file, refusing it past <paramref name="maxBytes"/>; returns the size and
    /// the first bytes (for <see cref="AudioFormats.Detect"/>).</summary>
    static async Task<(long Bytes, byte[] Head)> CopyAsync(Stream source, string path, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var head = new byte[AudioFormats.HeadLength];
        var headLength = 0;
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes) throw TooLarge(maxBytes);
            if (headLength < head.Length)
            {
                var take = Math.Min(read, head.Length - headLength);
                buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                headLength += take;
            }
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return (total, head[..headLength]);
    }

    static async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read > MaxFieldBytes) throw HttpProblem.BadRequest($"A form field is longer than {MaxFieldBytes} bytes; only the recording may be large.");
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>A Jira project key, or null when none was chosen.</summary>
    static string? Project(string? value)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        return ProjectKey().IsMatch(value) ? value : throw HttpProblem.BadRequest("'project' must be a Jira project key (capital letters, digits and _, like BATON).");
    }

    static HttpProblem TooLarge(long maxBytes) =>
        HttpProblem.TooLarge($"The upload is larger than {maxBytes / 1024} KiB (Voice__MaxUploadBytes); send a shorter recording.");

    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,31}$")]
    private static partial Regex ProjectKey();
}
