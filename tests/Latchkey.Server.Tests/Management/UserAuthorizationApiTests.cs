using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Rbac;

namespace Latchkey.Server.Tests.Management;

/// <summary><c>/api/v2/users/{id}/roles</c> and <c>/api/v2/users/{id}/permissions</c> over real HTTP in Auth0's shapes.</summary>
public sealed class UserAuthorizationApiTests(RbacServerFixture fixture) : IClassFixture<RbacServerFixture>
{
    private const string Nobody = "latchkey%7C000000000000000000000000";

    [Fact]
    public async Task Roles_AssignListRemove_Auth0Shapes()
    {
        var (userId, _) = await fixture.CreateUserAsync();
        var role = await fixture.CreateRoleAsync();
        var path = $"users/{RbacServerFixture.Escape(userId)}/roles";

        await fixture.CallAsync(HttpStatusCode.NoContent, HttpMethod.Post, path, $$"""{"roles":["{{role}}","{{role}}"]}""");
        await fixture.CallAsync(HttpStatusCode.NoContent, HttpMethod.Post, path, $$"""{"roles":["{{role}}"]}""");
        var listed = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, path + "?include_totals=true");

        Assert.Equal(1, (int)listed!["total"]!);
        Assert.Equal(role, (string?)listed["roles"]!.AsArray().Single()!["id"]);
        await fixture.CallAsync(HttpStatusCode.NoContent, HttpMethod.Delete, path, $$"""{"roles":["{{role}}"]}""");
        Assert.Empty((await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, path))!.AsArray());
    }

    [Fact]
    public async Task Roles_UnknownRole_Is404AndAssignsNothing()
    {
        var (userId, _) = await fixture.CreateUserAsync();
        var role = await fixture.CreateRoleAsync();
        var path = $"users/{RbacServerFixture.Escape(userId)}/roles";

        await fixture.AssertErrorAsync(HttpStatusCode.NotFound, "inexistent_role", HttpMethod.Post, path, $$"""{"roles":["{{role}}","rol_00000000000000000000000000000000"]}""");

        Assert.Empty((await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, path))!.AsArray());
    }

    [Theory]
    [InlineData("GET", "roles", null)]
    [InlineData("POST", "roles", """{"roles":["rol_00000000000000000000000000000000"]}""")]
    [InlineData("DELETE", "roles", """{"roles":["rol_00000000000000000000000000000000"]}""")]
    [InlineData("GET", "permissions", null)]
    [InlineData("POST", "permissions", """{"permissions":[{"resource_server_identifier":"https://orders.example.com","permission_name":"read:orders"}]}""")]
    [InlineData("DELETE", "permissions", """{"permissions":[{"resource_server_identifier":"https://orders.example.com","permission_name":"read:orders"}]}""")]
    public async Task Endpoint_UnknownUser_Is404InexistentUser(string method, string resource, string? json)
    {
        await fixture.AssertErrorAsync(HttpStatusCode.NotFound, "inexistent_user", new HttpMethod(method), $"users/{Nobody}/{resource}", json);
    }

    [Fact]
    public async Task Permissions_List_ShowsDirectAndRoleSourcesAsAuth0()
    {
        var (userId, _) = await fixture.CreateUserAsync(roles: RbacTenant.Clerk);
        var path = $"users/{RbacServerFixture.Escape(userId)}/permissions";
        await fixture.CallAsync(HttpStatusCode.Created, HttpMethod.Post, path,
            RbacServerFixture.PermissionsBody((RbacTenant.Orders, "read:orders"), (RbacTenant.Orders, "write:orders")));

        var page = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, path + "?include_totals=true&per_page=100");

        var permissions = page!["permissions"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal(5, (int)page["total"]!);
        var read = permissions.Single(p => (string?)p["resource_server_identifier"] == RbacTenant.Orders && (string?)p["permission_name"] == "read:orders");
        Assert.Equal(("Orders", "Read orders"), ((string?)read["resource_server_name"], (string?)read["description"]));
        var sources = read["sources"]!.AsArray().Select(s => ((string?)s!["source_type"], (string?)s["source_name"])).ToList();
        Assert.Equal([("DIRECT", string.Empty), ("ROLE", RbacTenant.Clerk)], sources);
        var write = permissions.Single(p => (string?)p["permission_name"] == "write:orders");
        Assert.Equal("DIRECT", (string?)write["sources"]!.AsArray().Single()!["source_type"]);

        await fixture.CallAsync(HttpStatusCode.NoContent, HttpMethod.Delete, path, RbacServerFixture.PermissionsBody((RbacTenant.Orders, "write:orders")));
        var after = (await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, path))!.AsArray();
        Assert.DoesNotContain(after, p => (string?)p!["permission_name"] == "write:orders");
    }

    [Theory]
    [InlineData("https://ghost.example.com", "read:orders")]
    [InlineData("https://orders.example.com", "fly:orders")]
    public async Task Permissions_UnknownApiOrScope_Is400AndAddsNothing(string api, string permission)
    {
        var (userId, _) = await fixture.CreateUserAsync();
        var path = $"users/{RbacServerFixture.Escape(userId)}/permissions";

        await fixture.AssertErrorAsync(HttpStatusCode.BadRequest, "invalid_body", HttpMethod.Post, path, RbacServerFixture.PermissionsBody((api, permission)));

        Assert.Empty((await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, path))!.AsArray());
    }

    [Theory]
    [InlineData("GET", "roles", null, "read:users,read:roles,read:role_members")]
    [InlineData("POST", "roles", """{"roles":[]}""", "update:users,create:role_members")]
    [InlineData("DELETE", "roles", """{"roles":[]}""", "update:users,delete:role_members")]
    [InlineData("GET", "permissions", null, "read:users")]
    [InlineData("POST", "permissions", """{"permissions":[]}""", "update:users")]
    [InlineData("DELETE", "permissions", """{"permissions":[]}""", "update:users")]
    public async Task Endpoint_TokenWithoutItsScope_Is403NamingTheScopes(string method, string resource, string? json, string expected)
    {
        var error = await fixture.AssertErrorAsync(HttpStatusCode.Forbidden, "insufficient_scope", new HttpMethod(method), $"users/{Nobody}/{resource}", json, fixture.ReaderToken);

        Assert.Equal($"Insufficient scope, expected any of: {expected}", (string?)error["message"]);
    }
}
