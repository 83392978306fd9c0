namespace Berth.IntegrationTests.Proxy;

/// <summary>The proxy on [::] (one socket for IPv6 and IPv4, on high ports); the tests reach it only through 127.0.0.1 and ::1.</summary>
public sealed class DualStackProxyBerthEnvironment : ProxyBerthEnvironment
{
    protected override string ListenAddress => "[::]";
}
