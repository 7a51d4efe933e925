namespace Latchkey.AspNetCore.Tests.Infrastructure;

/// <summary>One authority and one API shared by a test class whose tests do not change keys or time.</summary>
public sealed class AuthorityAndApi : IAsyncLifetime
{
    public TestAuthority Authority { get; private set; } = null!;

    public ProtectedApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Authority = await TestAuthority.StartAsync();
        Api = await ProtectedApi.StartAsync(Authority);
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Authority.DisposeAsync();
    }
}
