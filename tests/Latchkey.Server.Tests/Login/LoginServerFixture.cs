using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Login;

/// <summary>One server with <see cref="LoginTenant"/> shared by the tests of a class whose tests do not block each other.</summary>
public sealed class LoginServerFixture : IAsyncLifetime
{
    public LatchkeyTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await LatchkeyTestServer.StartAsync(LoginTenant.Json);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
