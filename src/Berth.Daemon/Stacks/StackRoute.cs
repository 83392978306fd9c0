namespace Berth.Daemon.Stacks;

/// <summary>A domain route to a stack container, made through the proxy's routes (as <c>berth route add</c>).</summary>
/// <param name="Domain">The ASCII (punycode) form.</param>
/// <param name="Path">A path prefix ending in '/'; "/" for the whole domain.</param>
/// <param name="Tls">auto, off or a certificate's name; null: any certificate that covers the domain.</param>
public sealed record StackRoute(string Domain, string Path, int Port, bool Websocket, string? Tls)
{
    /// <summary>DOMAIN/PATH:PORT, as the plan and errors show it.</summary>
    public override string ToString() => $"{Domain}{(Path == "/" ? "" : Path)}:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
