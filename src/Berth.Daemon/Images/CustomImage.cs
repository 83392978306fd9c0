namespace Berth.Daemon.Images;

/// <summary>An image a user defined: a built-in Debian image plus packages, under its own alias.</summary>
public sealed record CustomImage(string Alias, string Base, IReadOnlyList<string> Packages, DateTimeOffset CreatedAt);
