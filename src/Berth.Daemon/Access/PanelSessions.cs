using System.Collections.Concurrent;
using System.Security.Cryptography;
using Berth.Daemon.Users;

namespace Berth.Daemon.Access;

/// <summary>
/// Browser sessions of the web panel: a random id in an HttpOnly cookie and a CSRF token the page sends back as a
/// header. Users' sessions are stored (<see cref="SessionStore"/>), so a restart logs nobody out; sessions opened
/// with the admin token stay in memory, so they end with the daemon that read that token.
/// </summary>
public sealed class PanelSessions(TimeProvider time, SessionStore store)
{
    public const string CookieName = "berth_session";
    public const string CsrfHeader = "X-Berth-Csrf";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, PanelSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>A session for whoever holds the admin token.</summary>
    public PanelSession CreateRoot()
    {
        var session = New();
        _sessions[session.Id] = session;
        return session;
    }

    public async Task<PanelSession> CreateAsync(string user, Role role, CancellationToken cancellationToken = default)
    {
        var session = New() with { User = user, Role = role, IsRoot = false };
        await store.InsertAsync(session.Id, user, session.CsrfToken, session.ExpiresAt, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return session;
    }

    public async Task<PanelSession?> FindAsync(string? id, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128)
        {
            return null;
        }

        if (_sessions.TryGetValue(id, out var session))
        {
            if (session.ExpiresAt > time.GetUtcNow())
            {
                return session;
            }

            _sessions.TryRemove(id, out _);
            return null;
        }

        return await store.FindAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false) is { } stored
            ? new PanelSession(id, stored.CsrfToken, stored.ExpiresAt) { User = stored.User, Role = stored.Role, IsRoot = false, Disabled = stored.Disabled }
            : null;
    }

    public async Task RemoveAsync(string? id, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(id) && !_sessions.TryRemove(id, out _))
        {
            await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    private PanelSession New() =>
        new(AdminToken.Base64Url(RandomNumberGenerator.GetBytes(32)), AdminToken.Base64Url(RandomNumberGenerator.GetBytes(24)), time.GetUtcNow() + Lifetime);
}
