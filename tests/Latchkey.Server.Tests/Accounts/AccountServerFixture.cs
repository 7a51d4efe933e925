using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;

namespace Latchkey.Server.Tests.Accounts;

/// <summary>One server (the protocol tenant plus an administrator) sending its mail to a real SMTP sink; tests use their own users.</summary>
public sealed class AccountServerFixture : IAsyncLifetime
{
    public MailSink Mail { get; } = new();

    public LatchkeyTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await LatchkeyTestServer.StartAsync(AdminTenant.Json, ["--Latchkey:Issuer", ManagementTenant.Issuer, .. Mail.Args]);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Mail.Dispose();
    }
}
