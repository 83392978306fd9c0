using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Events;
using Berth.Daemon.Access;

namespace Berth.Daemon.Api;

/// <summary>/api/v1/events: server-sent events, one per lifecycle or job event, in order.</summary>
public static class EventEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/events", async (HttpContext context, long? since, Caller caller, EventBroker broker, EventVisibility visibility, IHostApplicationLifetime lifetime) =>
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            // End the stream when the daemon stops too, or shutdown would wait for every listener to leave.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            var ct = linked.Token;
            var lastId = context.Request.Headers["Last-Event-ID"].FirstOrDefault();
            if (since is null && long.TryParse(lastId, out var resumed))
            {
                since = resumed;
            }

            await context.Response.WriteAsync(": berth events\n\n", ct).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            try
            {
                await foreach (var evt in broker.SubscribeAsync(since, ct).ConfigureAwait(false))
                {
                    if (!await visibility.MaySeeAsync(caller, evt, ct).ConfigureAwait(false))
                    {
                        continue;
                    }

                    var data = JsonSerializer.Serialize(evt, BerthJson.Options);
                    await context.Response.WriteAsync($"id: {evt.Seq}\nevent: {evt.Type}\ndata: {data}\n\n", ct).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }
        }).WithTags("Events").Reads();
    }
}
