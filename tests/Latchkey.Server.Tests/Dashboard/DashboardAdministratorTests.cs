using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Dashboard;

/// <summary>How a tenant gets its first administrator (docs/dashboard.md): the development seed and <c>Latchkey:Bootstrap</c>.</summary>
public sealed class DashboardAdministratorTests
{
    [Fact]
    public async Task DevTenant_EmptyDatabase_SeedsAnAdministratorWithEveryManagementPermission()
    {
        await using var server = await LatchkeyTestServer.StartAsync();

        var (user, role) = await AdministratorAsync(server, DevTenantSeeder.AdminEmail);
        Assert.NotNull(user);
        Assert.Contains(user.Roles, r => r.RoleId == role.Id);
        Assert.Equal(
            ManagementScopes.All.Where(s => !ManagementScopes.IsCurrentUserScope(s)).Order(StringComparer.Ordinal),
            role.Permissions.Select(p => p.PermissionName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Bootstrap_AdminEmailOnEmptyDatabase_CreatesAnAdministratorWhoOpensTheDashboard()
    {
        var variable = "LATCHKEY_TEST_ADMIN_PASSWORD_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "first-admin-password-1");
        try
        {
            await using var server = await LatchkeyTestServer.StartAsync(
                "{}", "--environment", "Production", "--Latchkey:Bootstrap:AdminEmail", "first@example.com",
                "--Latchkey:Bootstrap:AdminPasswordVariable", variable);

            var (user, role) = await AdministratorAsync(server, "first@example.com");
            Assert.NotNull(user);
            Assert.Contains(user.Roles, r => r.RoleId == role.Id);
            using var client = server.CreateClient(new CookieContainer());
            using var login = await LoginDriver.LogInAsync(client, "first@example.com", "first-admin-password-1", "/dashboard");
            Assert.True(login.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, login.StatusCode.ToString());
            using var page = await client.GetAsync(new Uri("dashboard", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Bootstrap_AdminEmailNotAnEmail_StartFailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            LatchkeyTestServer.StartAsync("{}", "--Latchkey:Bootstrap:AdminEmail", "not-an-email"));

        Assert.Equal(
            ["Latchkey:Bootstrap:AdminEmail is 'not-an-email'; set the email address of the first administrator, e.g. admin@example.com."],
            error.Failures);
    }

    private static async Task<(User? User, Role Role)> AdministratorAsync(LatchkeyTestServer server, string email)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var normalized = EmailAddress.Normalize(email);
        var user = await db.Set<User>().Include(u => u.Roles).FirstOrDefaultAsync(u => u.NormalizedEmail == normalized);
        var role = await db.Set<Role>().SingleAsync(r => r.Name == DashboardDefinition.AdministratorRole);
        return (user, role);
    }
}
