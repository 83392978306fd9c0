using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Hosting;
using Berth.Daemon.Store;
using Microsoft.AspNetCore.Connections.Features;

namespace Berth.Daemon.Audit;

/// <summary>
/// Records every mutating API request and every exec session: who, what, on what, the answer and the job. It runs
/// just before <see cref="AccessControl"/> and writes when the response starts, so the refusals access control
/// answers itself (401, 403) are recorded too, and the record exists before the client sees the answer. Nothing
/// from a request body is kept, and no query string, since either could carry a secret.
/// </summary>
public sealed partial class AuditTrail(RequestDelegate next, AuditStore store, JobStore jobs, TimeProvider time, ILogger<AuditTrail> logger)
{
    /// <summary>Longest target and path kept; what is beyond is cut, so a crafted path cannot bloat the table.</summary>
    private const int MaxText = 256;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        var action = endpoint is null ? "unrouted" : AuditAction.Of(request.Method, endpoint.RoutePattern);
        if (!request.Path.StartsWithSegments("/api") || !IsChange(request.Method) && action is not ("container.exec" or "container.console"))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // Taken now: the exception handler clears the endpoint and route values before it writes the problem.
        var at = time.GetUtcNow();
        var target = endpoint is null ? null : RouteTarget(endpoint, request.RouteValues);
        var account = action == "auth.login" ? await BodyName.ReadAsync(request, BodyName.Account).ConfigureAwait(false) : null;
        if (account is not null)
        {
            target = Cut(account);
        }
        else if (target is null && HttpMethods.IsPost(request.Method) && await BodyName.ReadAsync(request, BodyName.Created).ConfigureAwait(false) is { } created)
        {
            target = Cut(created); // a create names its object only in the body (POST /users, POST /containers)
        }

        var facts = new Facts(at, request.Method, Cut(request.PathBase.Add(request.Path).Value ?? "/"), action, target, account is null ? null : Cut(account));
        var recorded = 0;
        Task RecordOnce() => Interlocked.Exchange(ref recorded, 1) == 0 ? RecordAsync(context, facts) : Task.CompletedTask;
        context.Response.OnStarting(RecordOnce);
        context.Response.OnCompleted(RecordOnce); // a response that never started (the client went away)
        await next(context).ConfigureAwait(false);
    }

    private async Task RecordAsync(HttpContext context, Facts facts)
    {
        try
        {
            var caller = context.Items[typeof(Caller)] as Caller;
            var status = context.Response.StatusCode;
            var jobId = status == StatusCodes.Status202Accepted ? JobIdIn(context.Response.Headers.Location.ToString()) : null;
            var job = jobId is null ? null : await jobs.GetAsync(jobId, CancellationToken.None).ConfigureAwait(false);
            var detail = status >= 400
                ? (context.Items[typeof(ProblemInfo)] as ProblemInfo)?.Title ?? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)
                : job is not null && job.Kind != facts.Action ? job.Kind : null;
            await store.InsertAsync(new AuditRecord
            {
                Id = Guid.CreateVersion7(facts.At).ToString("N"),
                At = facts.At,
                User = facts.Account ?? caller?.Name,
                Token = caller?.Token,
                Address = Address(context, caller),
                Method = facts.Method,
                Path = facts.Path,
                Action = facts.Action,
                Target = facts.Target ?? (job is null ? null : Cut(job.Target)),
                Status = status,
                JobId = job?.Id ?? jobId,
                Detail = detail,
            }, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed write is logged loudly; it must not turn a change that happened into an error answer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogNotRecorded(logger, facts.Method, facts.Path, ex);
        }
    }

    private static bool IsChange(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>The route's values in pattern order, e.g. web1/tcp/8080 for DELETE /containers/web1/forwards/tcp/8080.</summary>
    private static string? RouteTarget(RouteEndpoint endpoint, RouteValueDictionary values)
    {
        var parts = endpoint.RoutePattern.Parameters
            .Select(p => values.TryGetValue(p.Name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null)
            .Where(v => !string.IsNullOrEmpty(v))
            .ToList();
        return parts.Count == 0 ? null : Cut(string.Join('/', parts));
    }

    /// <summary>The job id in a 202's Location (/api/v1/jobs/ID).</summary>
    private static string? JobIdIn(string location)
    {
        const string Prefix = "/api/v1/jobs/";
        return location.StartsWith(Prefix, StringComparison.Ordinal) && location.Length > Prefix.Length && location.IndexOfAny(['/', '?'], Prefix.Length) < 0
            ? location[Prefix.Length..]
            : null;
    }

    private static string Address(HttpContext context, Caller? caller)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(AccessControl.UnixSocketMarker, out var marked) == true && marked is true)
        {
            return "socket";
        }

        var address = caller?.Address ?? context.Connection.RemoteIpAddress;
        return address is null ? "-" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>Control characters made visible (the CLI prints these to a terminal) and the length bounded.</summary>
    private static string Cut(string text)
    {
        var visible = ControlCharacters.Visible(text);
        return visible.Length <= MaxText ? visible : visible[..MaxText] + "…";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {Method} {Path} in the audit log")]
    private static partial void LogNotRecorded(ILogger logger, string method, string path, Exception exception);

    /// <summary>What is known of the request before it runs.</summary>
    private sealed record Facts(DateTimeOffset At, string Method, string Path, string Action, string? Target, string? Account);
}
