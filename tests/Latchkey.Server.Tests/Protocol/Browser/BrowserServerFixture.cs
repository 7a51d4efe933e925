using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// One server with <see cref="BrowserTenant"/> shared by the tests of a class that only read (no session, no writes),
/// so the class does not pay a server start per test. Tests that log in or change data start their own.
/// </summary>
public sealed class BrowserServerFixture : IAsyncLifetime
{
    public LatchkeyTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await BrowserTenant.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
