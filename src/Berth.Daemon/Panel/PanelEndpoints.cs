using System.Reflection;
using Berth.Daemon.Access;

namespace Berth.Daemon.Panel;

/// <summary>Serves the web panel's three files from the daemon's own assembly, with headers that forbid foreign code and framing.</summary>
public static class PanelEndpoints
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context) => Serve(context, "index.html")).ExcludeFromDescription().Open();
        app.MapGet("/panel/{file}", (HttpContext context, string file) => Serve(context, file)).ExcludeFromDescription().Open();
    }

    private static IResult Serve(HttpContext context, string file)
    {
        // Only the known names: a request can never reach another resource or a path.
        if (!ContentTypes.TryGetValue(file, out var contentType))
        {
            return Results.NotFound();
        }

        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"panel/{file}");
        if (stream is null)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Stream(stream, contentType);
    }
}
