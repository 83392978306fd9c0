using System.Globalization;
using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Exec;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;
using Berth.Daemon.Access;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Api;

/// <summary>GET /api/v1/containers/{name}/exec: a websocket carrying a command's streams (see <see cref="ExecChannel"/>).</summary>
public static class ExecEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/containers/{name}/exec", async (HttpContext context, string name, ContainerStore containers, LxcRuntime runtime, ExecSessions sessions) =>
        {
            var query = context.Request.Query;
            var request = new ExecRequest
            {
                Command = [.. query["cmd"].OfType<string>()],
                Tty = string.Equals(query["tty"], "true", StringComparison.OrdinalIgnoreCase),
                Environment = [.. query["env"].OfType<string>()],
                WorkingDirectory = query["cwd"].FirstOrDefault(),
            };
            if (request.Command.Count == 0)
            {
                throw DomainError.Invalid("No command", "give the command to run as one or more cmd query parameters.");
            }

            if (request.Environment.FirstOrDefault(e => e.IndexOf('=', StringComparison.Ordinal) < 1) is { } bad)
            {
                throw DomainError.Invalid("Invalid environment", $"'{bad}' is not KEY=VALUE.");
            }

            var record = await containers.GetAsync(name, context.RequestAborted).ConfigureAwait(false);
            if (!ContainerName.IsValid(name) || record is null)
            {
                throw Containers.ContainerName.NotFound(name);
            }

            var status = runtime.GetStatus(name);
            if (status != ContainerStatus.Running)
            {
                throw DomainError.Conflict("Container not running", status == ContainerStatus.Frozen
                    ? $"'{name}' is frozen; unfreeze it first."
                    : $"'{name}' is {status.ToString().ToLowerInvariant()}; start it first.");
            }

            if (!context.WebSockets.IsWebSocketRequest)
            {
                throw DomainError.Invalid("Websocket required", "exec streams over a websocket; connect with an Upgrade: websocket request.");
            }

            var columns = int.TryParse(query["cols"], CultureInfo.InvariantCulture, out var c) ? c : 80;
            var rows = int.TryParse(query["rows"], CultureInfo.InvariantCulture, out var r) ? r : 24;
            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await sessions.RunAsync(socket, name, request, columns, rows, context.RequestAborted).ConfigureAwait(false);
        }).WithTags("Containers").Changes(ObjectKind.Container);
    }
}
