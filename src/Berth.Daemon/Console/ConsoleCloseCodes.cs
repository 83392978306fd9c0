using System.Net.WebSockets;

namespace Berth.Daemon.Consoles;

/// <summary>The close statuses the console websocket ends with, beyond a normal close after the Exit frame.</summary>
public static class ConsoleCloseCodes
{
    /// <summary>Another connection attached to the session (a second tab, a reconnect that came first).</summary>
    public const WebSocketCloseStatus TakenOver = (WebSocketCloseStatus)4000;

    /// <summary>A message longer than the console takes.</summary>
    public const WebSocketCloseStatus TooBig = WebSocketCloseStatus.MessageTooBig;
}
