using Berth.Contracts;
using Microsoft.AspNetCore.Diagnostics;

namespace Berth.Daemon.Api;

/// <summary>The one place that turns exceptions into RFC 9457 problem documents.</summary>
public sealed partial class ProblemMapping(ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var (status, title, detail) = exception switch
        {
            BerthProblem p => (p.Status, p.Title, p.Message),
            BadHttpRequestException b => (b.StatusCode, "Malformed request", $"the request could not be read: {b.Message}{(b.InnerException is { } inner ? $" ({inner.Message})" : "")}"),
            System.Text.Json.JsonException j => (StatusCodes.Status400BadRequest, "Malformed JSON", $"the request body is not valid JSON for this call: {j.Message}"),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "berthd failed to handle the request; its log has the details."),
        };
        if (status == StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(logger, httpContext.Request.Path, exception);
        }

        await WriteAsync(httpContext, status, title, detail, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public static Task WriteAsync(HttpContext context, int status, string title, string detail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        var problem = new ProblemInfo
        {
            Type = $"https://httpstatuses.io/{status}",
            Title = title,
            Status = status,
            Detail = detail,
            Instance = context.Request.Path,
        };
        context.Items[typeof(ProblemInfo)] = problem; // the audit log records the title
        return context.Response.WriteAsJsonAsync(
            problem,
            BerthJson.Options,
            "application/problem+json",
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error for {Path}")]
    private static partial void LogUnhandled(ILogger logger, string path, Exception exception);
}
