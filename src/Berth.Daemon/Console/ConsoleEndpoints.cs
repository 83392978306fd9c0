using System.Globalization;
using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;

namespace Berth.Daemon.Consoles;

/// <summary>
/// GET /api/v1/containers/{name}/console: a websocket to a login shell in the container that survives a dropped
/// connection for the grace period (reattach with session=ID). Frames as exec's (see <see cref="ExecChannel"/>).
/// </summary>
public static class ConsoleEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/containers/{name}/console", async (HttpContext context, string name, Caller caller, ContainerStore containers, LxcRuntime runtime, ConsoleSessions sessions) =>
        {
            var query = context.Request.Query;
            if (query.ContainsKey("shell") || query.ContainsKey("cmd"))
            {
                throw DomainError.Invalid("Console runs a login shell", "the console always runs the container's login shell (bash -l, else sh -l, as root) and takes no shell or cmd; to run a command use GET /api/v1/containers/{name}/exec with cmd.");
            }

            var columns = Size(query["cols"], "cols", 80);
            var rows = Size(query["rows"], "rows", 24);
            if (!ContainerName.IsValid(name) || await containers.GetAsync(name, context.RequestAborted).ConfigureAwait(false) is null)
            {
                throw ContainerName.NotFound(name);
            }

            ConsoleSession? session = null;
            if (query["session"].FirstOrDefault() is { } id)
            {
                session = sessions.Find(id, caller, name)
                    ?? throw DomainError.NotFound("Console session not found", $"there is no console session '{id}' of yours on '{name}': it ended, its grace period ran out, or it was opened by someone else; leave out session to open a new one.");
            }
            else
            {
                var status = runtime.GetStatus(name);
                if (status != ContainerStatus.Running)
                {
                    throw DomainError.Conflict("Container not running", status == ContainerStatus.Frozen
                        ? $"'{name}' is frozen; unfreeze it first."
                        : $"'{name}' is {status.ToString().ToLowerInvariant()}; start it first.");
                }

                sessions.EnsureRoom(caller);
            }

            if (!context.WebSockets.IsWebSocketRequest)
            {
                throw DomainError.Invalid("Websocket required", "the console streams over a websocket; connect with an Upgrade: websocket request.");
            }

            var reattach = session is not null;
            session ??= sessions.Start(caller, name, columns, rows);
            System.Net.WebSockets.WebSocket socket;
            try
            {
                socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            }
            catch
            {
                if (!reattach)
                {
                    session.Terminate("its websocket could not be accepted");
                }

                throw;
            }

            using (socket)
            {
                await session.AttachAsync(socket, reattach, columns, rows, context.RequestAborted).ConfigureAwait(false);
            }
        }).WithTags("Containers").Changes(ObjectKind.Container);
    }

    private static int Size(Microsoft.Extensions.Primitives.StringValues value, string field, int fallback) =>
        value.Count == 0 ? fallback
        : int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1000 ? n
        : throw DomainError.Invalid("Invalid terminal size", $"{field} '{value}' is not a whole number from 1 to 1000; leave out cols and rows for 80x24.");
}
