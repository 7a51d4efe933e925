using Latchkey.AspNetCore.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.Differential;

/// <summary>One authority, samples/api and the express API, all trusting the same issuer.</summary>
public sealed class DifferentialFixture : IAsyncLifetime
{
    public TestAuthority Authority { get; private set; } = null!;

    public SampleApiHost Sample { get; private set; } = null!;

    public ExpressApi Express { get; private set; } = null!;

    public SigningKey Pss { get; } = SigningKey.Rsa("ps-1", "PS256");

    public SigningKey Ec { get; } = SigningKey.Ec("ec-1");

    /// <summary>The APIs here read the real clock; tokens must be minted against it (the fixture may be seconds old).</summary>
    public void SyncClockToNow()
    {
        var now = DateTimeOffset.UtcNow;
        if (now > Authority.Clock.GetUtcNow())
        {
            Authority.Clock.SetUtcNow(now);
        }
    }

    public async Task InitializeAsync()
    {
        Authority = await TestAuthority.StartAsync();
        Authority.Publish(Authority.Key, Pss, Ec);
        Sample = await SampleApiHost.StartAsync(Authority.Issuer);
        Express = await ExpressApi.StartAsync(Authority.Issuer);
    }

    public async Task DisposeAsync()
    {
        await Express.DisposeAsync();
        await Sample.DisposeAsync();
        await Authority.DisposeAsync();
    }
}
