using System.Reflection;
using System.Text.Json;
using Berth.Daemon.Access;

namespace Berth.Daemon.Panel;

/// <summary>
/// Serves the web panel built from panel/ (embedded in the daemon's assembly): index.html never cached, the
/// content-hashed files it names cached for good, and only the names the build's manifest lists.
/// </summary>
public static class PanelEndpoints
{
    // xterm.js writes <style> elements and has no nonce for them, hence 'unsafe-inline' for styles (never for scripts).
    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    private static readonly Lazy<IReadOnlySet<string>> Files = new(ReadManifest);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context) => Serve(context, "index.html")).ExcludeFromDescription().Open();
        app.MapGet("/panel/{file}", (HttpContext context, string file) => Serve(context, file)).ExcludeFromDescription().Open();
    }

    private static IResult Serve(HttpContext context, string file)
    {
        // Only the built names: a request can never reach another resource or a path.
        if (!Files.Value.Contains(file) || Assembly.GetExecutingAssembly().GetManifestResourceStream($"panel/{file}") is not { } stream)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = file == "index.html" ? "no-cache" : "public, max-age=31536000, immutable";
        return Results.Stream(stream, ContentType(file));
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };

    private static HashSet<string> ReadManifest()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("panel/manifest.json")
            ?? throw new InvalidOperationException("berthd was built without its web panel (panel/manifest.json is not embedded): build it with node and npm installed");
        using var manifest = JsonDocument.Parse(stream);
        var files = new HashSet<string>(StringComparer.Ordinal) { "index.html" };
        foreach (var file in manifest.RootElement.GetProperty("files").EnumerateArray())
        {
            files.Add(file.GetString()!);
        }

        return files;
    }
}
