using Berth.Daemon.Access;

namespace Berth.Daemon.Users;

/// <summary>What a user token stands for: a caller, or why it is refused (title and detail of a 401).</summary>
public sealed record TokenResolution(Caller? Caller, string Title, string Detail)
{
    public static TokenResolution Accepted(Caller caller) => new(caller, "", "");

    public static TokenResolution Refused(string title, string detail) => new(null, title, detail);
}
