namespace Berth.Daemon.Storage;

/// <summary>layout.json of an overlay container: which tree is its lower layer and whether it is seen through the container id map.</summary>
public sealed record OverlayLayout(string Lower, bool Idmapped);
