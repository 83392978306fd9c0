using System.Globalization;
using System.Text;
using Berth.Contracts;

namespace Berth.Client.Exec;

/// <summary>Builds the exec websocket's relative URL: cmd repeated per argument, tty (with cols and rows), env repeated, cwd.</summary>
internal static class ExecQuery
{
    public static string Build(string containerName, ExecRequest request)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerName);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Command.Count == 0)
        {
            throw new ArgumentException("an exec request needs a command", nameof(request));
        }

        var url = new StringBuilder("api/v1/containers/").Append(Uri.EscapeDataString(containerName)).Append("/exec");
        char separator = '?';
        void Add(string key, string value)
        {
            url.Append(separator).Append(key).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        foreach (string argument in request.Command)
        {
            Add("cmd", argument);
        }

        if (request.Tty)
        {
            Add("tty", "true");
            if (request.Columns is > 0 && request.Rows is > 0)
            {
                Add("cols", request.Columns.Value.ToString(CultureInfo.InvariantCulture));
                Add("rows", request.Rows.Value.ToString(CultureInfo.InvariantCulture));
            }
        }

        foreach (string variable in request.Environment)
        {
            Add("env", variable);
        }

        if (!string.IsNullOrEmpty(request.WorkingDirectory))
        {
            Add("cwd", request.WorkingDirectory);
        }

        return url.ToString();
    }
}
