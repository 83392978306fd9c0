using Berth.Daemon.Api;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>The refusals for ACME settings berthd was not started with.</summary>
public static class AcmeSettings
{
    public static DomainError NoEmail() =>
        DomainError.Conflict("ACME has no account", "berthd has no ACME account email; start it with --acme-email ADDRESS to obtain certificates.");

    public static DomainError NoDnsHook() =>
        DomainError.Conflict("DNS-01 is not set up", "the dns challenge needs a program that sets TXT records; start berthd with --acme-dns-hook PROGRAM.");
}
