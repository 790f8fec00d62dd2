using System.Security.Cryptography;
using Kefu.Host.Infrastructure;
using Kefu.Host.Security;
using Kefu.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kefu.Host.Api;

/// <summary>
/// Images and files for messages: an agent or a visitor uploads, and sends the returned attachment in a message.
/// Size (<c>Kefu:Host:MaxUploadBytes</c>) and type (<c>Kefu:Host:AllowedUploadExtensions</c>; images must start
/// with their format's signature) are checked; files are stored under an unguessable name and served with
/// <c>X-Content-Type-Options: nosniff</c>, images inline and everything else as a download.
/// </summary>
internal static class UploadsApi
{
    public static void MapUploadsApi(this RouteGroupBuilder api)
    {
        var uploads = api.MapGroup("/uploads").WithTags("Uploads");
        uploads.MapPost("/", async Task<Results<Created<MediaAttachment>, ProblemHttpResult>> (HttpRequest request, UploadStore store, CancellationToken ct) =>
        {
            if (!request.HasFormContentType)
            {
                return TypedResults.Problem(statusCode: 415, title: "Send multipart/form-data with one file named 'file'.");
            }

            if (request.ContentLength > store.MaxRequestBytes)
            {
                return TypedResults.Problem(statusCode: 413, title: "Upload too large", detail: $"At most {store.MaxBytes} bytes.");
            }

            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (InvalidDataException)
            {
                return TypedResults.Problem(statusCode: 413, title: "Upload too large", detail: $"At most {store.MaxBytes} bytes.");
            }

            var file = form.Files.GetFile("file");
            if (file is null)
            {
                return TypedResults.Problem(statusCode: 400, title: "Validation failed", detail: "No file named 'file'.", extensions: new Dictionary<string, object?> { ["field"] = "file" });
            }

            var saved = await store.SaveAsync(file, ct);
            return TypedResults.Created(saved.Url, saved);
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(HostAuthentication.CookieScheme, HostAuthentication.ApiKeyScheme, HostAuthentication.VisitorScheme)
            .RequireAuthenticatedUser().RequireClaim(KefuClaims.Kind).Build()).DisableAntiforgery();

        uploads.MapGet("/{name}", Results<PhysicalFileHttpResult, NotFound> (string name, HttpContext http, UploadStore store) =>
        {
            if (store.Find(name) is not { } found)
            {
                return TypedResults.NotFound();
            }

            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            return found.Inline
                ? TypedResults.PhysicalFile(found.Path, found.ContentType)
                : TypedResults.PhysicalFile(found.Path, "application/octet-stream", name);
        }).AllowAnonymous();
    }
}

/// <summary>Keeps uploads on disk.</summary>
public sealed class UploadStore(IOptions<KefuHostOptions> options)
{
    private static readonly Dictionary<string, (string Type, byte[][] Signatures)> Images = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = ("image/png", [[0x89, 0x50, 0x4E, 0x47]]),
        [".jpg"] = ("image/jpeg", [[0xFF, 0xD8, 0xFF]]),
        [".jpeg"] = ("image/jpeg", [[0xFF, 0xD8, 0xFF]]),
        [".gif"] = ("image/gif", [[0x47, 0x49, 0x46, 0x38]]),
        [".webp"] = ("image/webp", [[0x52, 0x49, 0x46, 0x46]]),
    };

    private string Directory => Path.GetFullPath(options.Value.UploadDirectory);

    /// <summary>The largest file.</summary>
    public long MaxBytes => options.Value.MaxUploadBytes;

    /// <summary>The largest request: the file and the multipart framing around it.</summary>
    public long MaxRequestBytes => options.Value.MaxUploadBytes + (16 * 1024);

    /// <summary>Checks and stores a file; returns the attachment to send.</summary>
    /// <exception cref="KefuValidationException">The file is empty, too large or of a type that is not allowed.</exception>
    public async Task<MediaAttachment> SaveAsync(IFormFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var o = options.Value;
        if (file.Length <= 0 || file.Length > o.MaxUploadBytes)
        {
            throw new KefuValidationException("file", $"1–{o.MaxUploadBytes} bytes", $"was {file.Length}");
        }

        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (!o.AllowedUploadExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            throw new KefuValidationException("file", "one of " + string.Join(", ", o.AllowedUploadExtensions), $"was '{extension}'");
        }

        string contentType = "application/octet-stream";
        await using var input = file.OpenReadStream();
        if (Images.TryGetValue(extension, out var image))
        {
            var head = new byte[8];
            var read = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
            if (!image.Signatures.Any(s => read >= s.Length && head.AsSpan(0, s.Length).SequenceEqual(s)))
            {
                throw new KefuValidationException("file", $"a real {extension} image", "its content does not match its extension");
            }

            input.Position = 0;
            contentType = image.Type;
        }

        System.IO.Directory.CreateDirectory(Directory);
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + extension;
        await using (var output = File.Create(Path.Combine(Directory, name)))
        {
            await input.CopyToAsync(output, cancellationToken);
        }

        var display = Path.GetFileName(file.FileName);
        return new MediaAttachment("/api/v1/uploads/" + name, string.IsNullOrWhiteSpace(display) ? name : display, file.Length, contentType);
    }

    /// <summary>A stored file by its name; null for names the store did not make.</summary>
    public (string Path, string ContentType, bool Inline)? Find(string name)
    {
        var extension = Path.GetExtension(name);
        var stem = Path.GetFileNameWithoutExtension(name);
        if (stem.Length != 32 || !stem.All(char.IsAsciiHexDigitLower) || !options.Value.AllowedUploadExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            return null;
        }

        return Images.TryGetValue(extension, out var image) ? (path, image.Type, true) : (path, "application/octet-stream", false);
    }
}
