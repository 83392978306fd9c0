using Berth.Contracts;
using Microsoft.AspNetCore.Diagnostics;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Api;

/// <summary>The one place that turns exceptions into RFC 9457 problem documents.</summary>
public sealed partial class ProblemMapping(ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var (status, title, detail) = exception switch
        {
            DomainError e => (StatusOf(e.Kind), e.Title, e.Message),
            BadHttpRequestException b => (b.StatusCode, "Malformed request", $"the request could not be read: {b.Message}{(b.InnerException is { } inner ? $" ({inner.Message})" : "")}"),
            System.Text.Json.JsonException j => (StatusCodes.Status400BadRequest, "Malformed JSON", $"the request body is not valid JSON for this call: {j.Message}"),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "berthd failed to handle the request; its log has the details."),
        };
        if (status == StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(logger, httpContext.Request.Path, exception);
        }

        await WriteAsync(httpContext, status, title, detail, cancellationToken, (exception as DomainError)?.Errors).ConfigureAwait(false);
        return true;
    }

    /// <summary>The one HTTP status each kind of domain error answers with.</summary>
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.OutOfSpace => StatusCodes.Status507InsufficientStorage,
        ErrorKind.Upstream => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static Task WriteAsync(HttpContext context, int status, string title, string detail, CancellationToken cancellationToken = default, IReadOnlyList<string>? errors = null)
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
            Errors = errors,
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
