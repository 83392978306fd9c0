namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/updates</c>: nothing to choose yet; the run is the same as a scheduled one.</summary>
public sealed record UpdateRunRequest;
