using System.Buffers.Text;
using System.Security.Cryptography;
using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Errors;
using Berth.Daemon.Exec;
using Berth.Daemon.Native;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Consoles;

/// <summary>
/// Every console session of the daemon, by id. A session belongs to the caller that opened it and the container it
/// runs in; asked for by anyone else, or for another container, it does not exist. Each caller holds a bounded number.
/// </summary>
public sealed class ConsoleSessions(IOptions<ConsoleOptions> options, ExecSessions exec, TimeProvider time, ILogger<ConsoleSessions> logger) : IDisposable
{
    // A fixed script, never built from input. Not login -f: shadow's login (Debian) fails on the attached terminal, whose owner it may not change.
    private static readonly string[] LoginShell =
        ["/bin/sh", "-c", "if [ -x /bin/bash ]; then exec /bin/bash -l; else exec /bin/sh -l; fi"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    public ConsoleOptions Options => options.Value;

    /// <summary>The session <paramref name="id"/> when <paramref name="caller"/> opened it on <paramref name="container"/>.</summary>
    public ConsoleSession? Find(string id, Caller caller, string container)
    {
        ArgumentNullException.ThrowIfNull(caller);
        lock (_lock)
        {
            return _sessions.TryGetValue(id, out var session)
                && string.Equals(session.Owner, caller.Name, StringComparison.Ordinal)
                && string.Equals(session.Container, container, StringComparison.Ordinal)
                    ? session
                    : null;
        }
    }

    /// <summary>Refuses a new session when the caller already holds as many as allowed.</summary>
    public void EnsureRoom(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        lock (_lock)
        {
            var held = _sessions.Values.Count(s => string.Equals(s.Owner, caller.Name, StringComparison.Ordinal));
            if (held >= options.Value.MaxPerCaller)
            {
                throw DomainError.Conflict("Too many consoles", $"'{caller.Name}' already has {held} console sessions (attached or waiting for a reattach), the most one caller may hold; end one with 'exit' in its shell, reattach to one with session=ID, or wait {options.Value.GracePeriod.TotalSeconds:0} s for a dropped one to end.");
            }
        }
    }

    /// <summary>Starts a login shell in <paramref name="container"/> on a terminal of the given size, owned by <paramref name="caller"/>.</summary>
    public ConsoleSession Start(Caller caller, string container, int columns, int rows)
    {
        ArgumentNullException.ThrowIfNull(caller);
        lock (_lock)
        {
            EnsureRoom(caller);
            var argv = exec.AttachArguments(container, new ExecRequest { Command = LoginShell, Tty = true });
            var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
            var pty = PtyProcess.Start(argv, environment, columns, rows);
            var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            var session = new ConsoleSession(id, caller.Name, container, pty, options.Value, time, logger, Remove);
            _sessions.Add(id, session);
            session.Start();
            return session;
        }
    }

    /// <summary>Ends every session: the daemon is stopping, and what it started must not outlive it.</summary>
    public void Dispose()
    {
        List<ConsoleSession> all;
        lock (_lock)
        {
            all = [.. _sessions.Values];
        }

        foreach (var session in all)
        {
            session.Terminate("berthd is stopping");
        }
    }

    private void Remove(ConsoleSession session)
    {
        lock (_lock)
        {
            _sessions.Remove(session.Id);
        }
    }
}
