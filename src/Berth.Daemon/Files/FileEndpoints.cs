using System.Globalization;
using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Daemon.Files;

/// <summary>/api/v1/containers/{name}/files: a container's files read, written, extracted into and deleted, streamed.</summary>
public static class FileEndpoints
{
    private const string Route = "/containers/{name}/files";

    public static IEndpointRouteBuilder MapBerthFiles(this IEndpointRouteBuilder api)
    {
        api.MapMethods(Route, ["GET", "HEAD"], GetAsync).WithTags("Files").Reads(ObjectKind.Container);
        api.MapPut(Route, PutAsync).WithTags("Files").Changes(ObjectKind.Container);
        api.MapPost(Route, PostAsync).WithTags("Files").Changes(ObjectKind.Container);
        api.MapDelete(Route, DeleteAsync).WithTags("Files").Changes(ObjectKind.Container);
        return api;
    }

    /// <summary>A file's bytes, a directory's listing (JSON) or, with recursive=true, its tree as a tar stream; headers describe the entry.</summary>
    private static async Task GetAsync(HttpContext context, string name, string? path, bool? recursive, ContainerFiles files)
    {
        var target = ContainerFilePath.Parse(path);
        using var tree = await files.OpenAsync(name, context.RequestAborted).ConfigureAwait(false);
        var entry = tree.Describe(target);
        var response = context.Response;
        var head = HttpMethods.IsHead(context.Request.Method);
        if (entry.Type == "file")
        {
            var (opened, file) = tree.OpenFile(target);
            await using var content = new FileStream(file, FileAccess.Read, bufferSize: 0);
            Describe(response, opened);
            response.ContentType = "application/octet-stream";
            if (!head)
            {
                await content.CopyToAsync(response.Body, 1 << 20, context.RequestAborted).ConfigureAwait(false);
            }

            return;
        }

        Describe(response, entry);
        if (entry.Type != "directory" || head)
        {
            return;
        }

        if (recursive == true)
        {
            using var directory = tree.OpenDirectory(target);
            response.ContentType = FileHeaders.TarMediaType;
            AllowSynchronousWrites(context);
            await TreeArchiveWriter.WriteAsync(directory, tree.Shift, response.Body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await response.WriteAsJsonAsync(tree.List(target), WireJson.TypeInfo<IReadOnlyList<FileEntryInfo>>(), "application/json", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The body becomes the file at path, written aside and renamed into place.</summary>
    private static async Task<FileEntryInfo> PutAsync(HttpContext context, string name, string? path, string? mode, long? uid, long? gid, bool? mkdirs, ContainerFiles files)
    {
        var target = ContainerFilePath.Parse(path);
        var fileMode = mode is null ? (UnixFileMode?)null : FileEntries.ParseMode(mode)
            ?? throw DomainError.Invalid("Invalid mode", $"mode '{Hosting.ControlCharacters.Visible(mode)}' is not an octal file mode such as 0644 or 0755.");
        using var tree = await files.OpenAsync(name, context.RequestAborted).ConfigureAwait(false);
        Unlimited(context);
        return await tree.WriteAsync(target, context.Request.Body, fileMode, uid, gid, mkdirs == true, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A tar body extracted under the directory at path.</summary>
    private static async Task<IResult> PostAsync(HttpContext context, string name, string? path, bool? mkdirs, Caller caller, ContainerFiles files)
    {
        var target = ContainerFilePath.Parse(path);
        if (!string.Equals(context.Request.ContentType?.Split(';')[0].Trim(), FileHeaders.TarMediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw DomainError.Invalid("Tar archive expected", $"POST .../files extracts a tar archive: send it with Content-Type: {FileHeaders.TarMediaType}; to write one file, PUT its bytes.");
        }

        using var tree = await files.OpenAsync(name, context.RequestAborted).ConfigureAwait(false);
        Unlimited(context);
        var entries = await tree.ExtractAsync(target, context.Request.Body, mkdirs == true, caller.IsAdmin, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers["X-Berth-Entries"] = entries.ToString(CultureInfo.InvariantCulture);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string name, string? path, bool? recursive, ContainerFiles files)
    {
        var target = ContainerFilePath.Parse(path);
        using var tree = await files.OpenAsync(name, context.RequestAborted).ConfigureAwait(false);
        tree.Delete(target, recursive == true);
        return Results.NoContent();
    }

    private static void Describe(HttpResponse response, FileEntryInfo entry)
    {
        response.Headers[FileHeaders.Type] = entry.Type;
        response.Headers[FileHeaders.Mode] = entry.Mode;
        response.Headers[FileHeaders.Uid] = entry.Uid.ToString(CultureInfo.InvariantCulture);
        response.Headers[FileHeaders.Gid] = entry.Gid.ToString(CultureInfo.InvariantCulture);
        response.Headers[FileHeaders.Size] = entry.Size.ToString(CultureInfo.InvariantCulture);
        response.Headers[FileHeaders.ModifiedAt] = entry.ModifiedAt.ToString("O", CultureInfo.InvariantCulture);
        if (entry.Link is { } link)
        {
            response.Headers[FileHeaders.Link] = Uri.EscapeDataString(link);
        }
    }

    // Files are as large as the disk allows.
    private static void Unlimited(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
    }

    // The tar writer may flush synchronously at its end.
    private static void AllowSynchronousWrites(HttpContext context)
    {
        if (context.Features.Get<IHttpBodyControlFeature>() is { } control)
        {
            control.AllowSynchronousIO = true;
        }
    }
}
