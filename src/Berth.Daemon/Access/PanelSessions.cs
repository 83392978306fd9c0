using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Berth.Daemon.Access;

/// <summary>Browser sessions of the web panel: a random id in an HttpOnly cookie and a CSRF token the page sends back as a header.</summary>
public sealed class PanelSessions(TimeProvider time)
{
    public const string CookieName = "berth_session";
    public const string CsrfHeader = "X-Berth-Csrf";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, PanelSession> _sessions = new(StringComparer.Ordinal);

    public PanelSession Create()
    {
        var session = new PanelSession(AdminToken.Base64Url(RandomNumberGenerator.GetBytes(32)), AdminToken.Base64Url(RandomNumberGenerator.GetBytes(24)), time.GetUtcNow() + Lifetime);
        _sessions[session.Id] = session;
        return session;
    }

    public PanelSession? Find(string? id)
    {
        if (id is null || !_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        if (session.ExpiresAt <= time.GetUtcNow())
        {
            _sessions.TryRemove(id, out _);
            return null;
        }

        return session;
    }

    public void Remove(string? id)
    {
        if (id is not null)
        {
            _sessions.TryRemove(id, out _);
        }
    }
}
