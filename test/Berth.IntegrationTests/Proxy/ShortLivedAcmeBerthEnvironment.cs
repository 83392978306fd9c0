namespace Berth.IntegrationTests.Proxy;

/// <summary>Pebble issues certificates that live 45 seconds, so berthd renews them 30 seconds in (two thirds).</summary>
public sealed class ShortLivedAcmeBerthEnvironment() : AcmeBerthEnvironment(45);
