using System.Diagnostics;
using System.Text.RegularExpressions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Latchkey.Server.Tests.Tenants;

[Collection(ConsoleCollection.Name)]
public sealed partial class DevTenantSeedTests
{
    [Fact]
    public async Task Startup_EmptyDatabase_SeedsDevTenantAndPrintsItOnce()
    {
        using var host = new TenantHost();

        var first = await CaptureConsoleAsync(async () => await (await host.BuildDefaultAsync()).DisposeAsync());
        var second = await CaptureConsoleAsync(async () => await (await host.BuildDefaultAsync()).DisposeAsync());

        Assert.Contains("Latchkey development tenant", first, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:7391/", first, StringComparison.Ordinal);
        Assert.Contains("samples-spa", first, StringComparison.Ordinal);
        Assert.Contains("demo@latchkey.local", first, StringComparison.Ordinal);
        Assert.Contains("admin@latchkey.local", first, StringComparison.Ordinal);
        Assert.Contains("curl -s http://127.0.0.1:7391/oauth/token", first, StringComparison.Ordinal);
        var secret = SecretRow().Match(first).Groups[1].Value;
        var password = PasswordRow().Match(first).Groups[1].Value;
        Assert.True(secret.Length >= 43, first);
        Assert.True(password.Length >= 16, first);
        Assert.Contains($"\"client_secret\":\"{secret}\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("development tenant", second, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, second, StringComparison.Ordinal);

        var (apis, apps, grants, roles, users) = await host.QueryAsync(async db => (
            await db.Set<Api>().ToListAsync(), await db.Set<Application>().Where(a => a.ClientId != DashboardDefinition.ClientId).ToListAsync(), await db.Set<ClientGrant>().ToListAsync(),
            await db.Set<Role>().Where(r => r.Name != DashboardDefinition.AdministratorRole).ToListAsync(), await db.Set<User>().Include(u => u.Roles).Include(u => u.Permissions).ToListAsync()));
        var api = Assert.Single(apis, a => !a.IsSystem);
        Assert.Equal("https://quickstarts/api", api.Identifier);
        Assert.Equal(["read:messages", "write:messages"], api.Scopes.Select(s => s.Value));
        Assert.True(api.AllowOfflineAccess);
        Assert.Equal("http://127.0.0.1:7391/api/v2/", Assert.Single(apis, a => a.IsSystem).Identifier);

        Assert.Equal(["samples-legacy", "samples-m2m", "samples-spa"], apps.Select(a => a.ClientId).Order());
        var spa = apps.Single(a => a.ClientId == "samples-spa");
        Assert.Equal("Sample SPA", spa.Name);
        foreach (var origin in new[] { "http://localhost:3000", "http://localhost:4200" })
        {
            Assert.Contains(origin, spa.Callbacks);
            Assert.Contains(origin + "/", spa.Callbacks);
            Assert.Contains(origin + "/callback", spa.Callbacks);
            Assert.Contains(origin, spa.AllowedLogoutUrls);
            Assert.Contains(origin, spa.WebOrigins);
            Assert.Contains(origin, spa.AllowedOrigins);
        }

        Assert.Equal(["authorization_code", "refresh_token"], spa.GrantTypes);
        Assert.Contains("implicit", apps.Single(a => a.ClientId == "samples-legacy").GrantTypes);
        var m2m = apps.Single(a => a.ClientId == "samples-m2m");
        Assert.Equal(["client_credentials"], m2m.GrantTypes);
        Assert.Equal(ClientSecretVerification.Success, await host.VerifySecretAsync(secret, m2m.ClientSecretHash!));

        var grant = Assert.Single(grants);
        Assert.Equal(("samples-m2m", "https://quickstarts/api", "read:messages"), (grant.ClientId, grant.Audience, Assert.Single(grant.Scope)));
        var reader = Assert.Single(roles);
        Assert.Equal("reader", reader.Name);
        Assert.Equal("read:messages", Assert.Single(reader.Permissions).PermissionName);
        Assert.Equal([DevTenantSeeder.AdminEmail, DevTenantSeeder.DemoEmail], users.Select(u => u.Email).Order(StringComparer.Ordinal));
        var demo = users.Single(u => u.Email == DevTenantSeeder.DemoEmail);
        Assert.Equal(reader.Id, Assert.Single(demo.Roles).RoleId);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<User>().VerifyHashedPassword(demo, demo.PasswordHash!, password));
    }

    [Fact]
    public async Task Startup_ProductionEmptyDatabase_DoesNotSeedAndSaysHowToImport()
    {
        using var host = new TenantHost();
        var log = new CapturedLog();

        var output = await CaptureConsoleAsync(async () =>
            await (await host.BuildDefaultAsync(services => services.AddSingleton<ILoggerProvider>(log), "--environment", "Production")).DisposeAsync());

        Assert.DoesNotContain("Latchkey development tenant", output, StringComparison.Ordinal);
        Assert.DoesNotContain("client_secret", output, StringComparison.Ordinal);
        Assert.Equal(new TenantHost.Counts(1, 0, 0, 0, 0), await host.CountAsync());
        Assert.Contains(log.Entries, entry => entry.StartsWith("Warning Latchkey.Server.Tenants.DevTenantSeeder", StringComparison.Ordinal)
            && entry.Contains("The database has no applications. The development tenant is seeded only in the Development environment (this is Production) or with Latchkey:SeedDevelopmentTenant=true; import your tenant with Latchkey:Import.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Startup_ProductionExplicitSeed_SeedsAndWarns()
    {
        using var host = new TenantHost();
        var log = new CapturedLog();

        var output = await CaptureConsoleAsync(async () =>
            await (await host.BuildDefaultAsync(services => services.AddSingleton<ILoggerProvider>(log), "--environment", "Production", "--Latchkey:SeedDevelopmentTenant", "true")).DisposeAsync());

        Assert.Contains("Latchkey development tenant", output, StringComparison.Ordinal);
        Assert.Equal(3, (await host.CountAsync()).Applications);
        Assert.Contains(log.Entries, entry => entry.StartsWith("Warning Latchkey.Server.Tenants.DevTenantSeeder", StringComparison.Ordinal)
            && entry.Contains("Seeded the development tenant in the Production environment because Latchkey:SeedDevelopmentTenant is true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Startup_WithImport_DoesNotSeedDevTenant()
    {
        using var host = new TenantHost();

        var output = await CaptureConsoleAsync(async () => await (await host.BuildWithFileAsync("{}")).DisposeAsync());

        Assert.DoesNotContain("development tenant", output, StringComparison.Ordinal);
        Assert.Equal(new TenantHost.Counts(1, 0, 0, 0, 0), await host.CountAsync());
    }

    [Fact]
    public async Task Program_BadTenantFile_ExitsNonZeroWithMessageAndNoStackTrace()
    {
        using var host = new TenantHost();
        await File.WriteAllTextAsync(host.TenantFile, """{ "clients": [ { "client_id": "x", "app_type": "spa", "callbacks": ["javascript:alert(1)"] } ] }""");
        var server = Path.Combine(AppContext.BaseDirectory, "Latchkey.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { server, "--urls", "http://127.0.0.1:0", "--ConnectionStrings:Latchkey", $"Data Source={Path.Combine(Path.GetDirectoryName(host.TenantFile)!, "p.db")}", "--Latchkey:Import", host.TenantFile, "--Logging:LogLevel:Default", "Warning" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains($"{host.TenantFile}: clients[0].callbacks[0]: \"javascript:alert(1)\" is not an absolute http(s) URL", await stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await stderr + await stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", await stderr + await stdout, StringComparison.Ordinal);
    }

    private static async Task<string> CaptureConsoleAsync(Func<Task> action)
    {
        var original = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            await action();
        }
        finally
        {
            Console.SetOut(original);
        }

        return writer.ToString();
    }

    [GeneratedRegex(@"M2M client_secret\s+(\S+)")]
    private static partial Regex SecretRow();

    [GeneratedRegex(@"Demo password\s+(\S+)")]
    private static partial Regex PasswordRow();
}
