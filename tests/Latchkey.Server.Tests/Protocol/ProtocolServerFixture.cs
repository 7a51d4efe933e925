using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// One server with <see cref="ProtocolTenant"/> shared by the tests of a class that only read (client_credentials,
/// discovery, garbage input). Tests that rotate or revoke tokens start their own server.
/// </summary>
public sealed class ProtocolServerFixture : IAsyncLifetime
{
    private LatchkeyTestServer? _server;

    public LatchkeyTestServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
