using System.Net;

namespace Berth.Daemon.Access;

/// <summary>
/// Who is asking, as every service call sees it: resolved once per request by <see cref="AccessControl"/> (root on the
/// Unix socket, the admin token, a user's token or panel session), or <see cref="System"/> for the daemon's own work.
/// Services decide ownership from this alone, so a forgotten check cannot fall back to "allowed".
/// </summary>
public sealed record Caller
{
    /// <summary>The user's name; "root" for the Unix socket and the admin token, "system" for the daemon itself.</summary>
    public required string Name { get; init; }

    public required Role Role { get; init; }

    /// <summary>The name of the token the request came with, when it came with one.</summary>
    public string? Token { get; init; }

    /// <summary>A read-only token: it may look but never change anything.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>A metrics-only token may call GET /metrics and nothing else.</summary>
    public TokenScope Scope { get; init; }

    /// <summary>Where the request came from (none for the Unix socket and the daemon itself).</summary>
    public IPAddress? Address { get; init; }

    /// <summary>Root on the host or an admin user: sees and acts on every object.</summary>
    public bool IsAdmin => Role == Role.Admin;

    /// <summary>Root on the host: the Unix socket or the admin token. Owns what it creates without naming an owner.</summary>
    public bool IsRoot { get; init; }

    /// <summary>The daemon's own schedulers and recovery.</summary>
    public static Caller System { get; } = new() { Name = "system", Role = Role.Admin, IsRoot = true };

    /// <summary>Root through the Unix socket, or anyone holding the admin token.</summary>
    public static Caller Root(IPAddress? address, string? token = null) => new() { Name = "root", Role = Role.Admin, IsRoot = true, Address = address, Token = token };

    /// <summary>Whether this caller may see and act on an object <paramref name="owner"/> owns (null: owned by root).</summary>
    public bool MayUse(string? owner) => IsAdmin || (owner is not null && string.Equals(owner, Name, StringComparison.Ordinal));

    /// <summary>The owner an object this caller creates gets: its own name, or none for root.</summary>
    public string? OwnerForNew => IsRoot ? null : Name;

    private static readonly AsyncLocal<Caller?> Ambient = new();

    /// <summary>
    /// The caller of the request this code runs for, so a job records who asked without every service passing it on;
    /// services that decide ownership take the <see cref="Caller"/> as a parameter instead.
    /// </summary>
    public static Caller? Current => Ambient.Value;

    /// <summary>Makes <paramref name="caller"/> the request's caller, for the endpoint and for <see cref="Current"/>.</summary>
    public static void Enter(HttpContext context, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[typeof(Caller)] = caller;
        Ambient.Value = caller;
    }

    /// <summary>Lets a minimal API endpoint take the request's caller as a parameter.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(Of(context));

    /// <summary>The caller <see cref="AccessControl"/> resolved for this request; none means it ran before access control, a bug.</summary>
    public static Caller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[typeof(Caller)] as Caller
            ?? throw new InvalidOperationException("no caller was resolved for this request; AccessControl must run before the endpoint.");
    }
}
