using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Rbac;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// <c>/api/v2/roles</c> over real HTTP in Auth0's shapes: CRUD, <c>name_filter</c>, paging, permissions, members, each
/// refusal. The protocol side (tokens following these changes) is <c>Rbac/AccessPolicyTests</c>.
/// </summary>
public sealed class RolesApiTests(RbacServerFixture fixture) : IClassFixture<RbacServerFixture>
{
    [Fact]
    public async Task Create_ValidBody_Returns200RoleWithRolIdReadableById()
    {
        var name = Unique("Support");

        var created = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Post, "roles", $$"""{"name":"{{name}}","description":"Helps"}""");

        var id = (string)created!["id"]!;
        Assert.Matches("^rol_[0-9a-f]{32}$", id);
        Assert.Equal((name, "Helps"), ((string?)created["name"], (string?)created["description"]));
        var read = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles/{id}");
        Assert.Equal(created.ToJsonString(), read!.ToJsonString());
    }

    [Fact]
    public async Task Create_DuplicateName_Is409()
    {
        var name = Unique("dup");
        await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Post, "roles", $$"""{"name":"{{name}}"}""");

        await fixture.AssertErrorAsync(HttpStatusCode.Conflict, "conflict", HttpMethod.Post, "roles", $$"""{"name":"{{name}}"}""");
    }

    [Theory]
    [InlineData("""{"description":"no name"}""")]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"name":"x","permissions":[]}""")]
    [InlineData("""{"name":42}""")]
    public async Task Create_InvalidBody_Is400InvalidBody(string json)
    {
        await fixture.AssertErrorAsync(HttpStatusCode.BadRequest, "invalid_body", HttpMethod.Post, "roles", json);
    }

    [Theory]
    [InlineData("rol_00000000000000000000000000000000")]
    [InlineData("not-a-role")]
    public async Task Get_UnknownId_Is404InexistentRole(string id)
    {
        var error = await fixture.AssertErrorAsync(HttpStatusCode.NotFound, "inexistent_role", HttpMethod.Get, $"roles/{id}");

        Assert.Equal("The role does not exist.", (string?)error["message"]);
    }

    [Theory]
    [InlineData("GET", "/permissions", null)]
    [InlineData("POST", "/permissions", """{"permissions":[{"resource_server_identifier":"https://orders.example.com","permission_name":"read:orders"}]}""")]
    [InlineData("DELETE", "/permissions", """{"permissions":[{"resource_server_identifier":"https://orders.example.com","permission_name":"read:orders"}]}""")]
    [InlineData("GET", "/users", null)]
    [InlineData("POST", "/users", """{"users":["latchkey|000000000000000000000000"]}""")]
    [InlineData("PATCH", "", """{"name":"x"}""")]
    [InlineData("DELETE", "", null)]
    public async Task SubResource_UnknownRole_Is404InexistentRole(string method, string suffix, string? json)
    {
        await fixture.AssertErrorAsync(HttpStatusCode.NotFound, "inexistent_role", new HttpMethod(method), $"roles/rol_00000000000000000000000000000000{suffix}", json);
    }

    [Fact]
    public async Task List_NameFilterAndPaging_ReturnsAuth0PageWithTotals()
    {
        var prefix = Unique("page");
        foreach (var suffix in new[] { "a", "b", "c" })
        {
            await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Post, "roles", $$"""{"name":"{{prefix}}-{{suffix}}"}""");
        }

        var page = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles?name_filter={prefix.ToUpperInvariant()}&per_page=2&page=1&include_totals=true");

        Assert.Equal((2, 2, 1, 3), ((int)page!["start"]!, (int)page["limit"]!, (int)page["length"]!, (int)page["total"]!));
        Assert.Equal($"{prefix}-c", (string?)page["roles"]!.AsArray().Single()!["name"]);
        var bare = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles?name_filter={prefix}");
        Assert.Equal(3, bare!.AsArray().Count);
        await fixture.AssertErrorAsync(HttpStatusCode.BadRequest, "invalid_query_string", HttpMethod.Get, "roles?per_page=101");
    }

    [Fact]
    public async Task Patch_NameAndDescription_ChangesOnlyWhatWasSentAndKeepsMembers()
    {
        var id = await fixture.CreateRoleAsync((RbacTenant.Orders, "read:orders"));
        var (userId, _) = await fixture.CreateUserAsync();
        await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Post, $"roles/{id}/users", $$"""{"users":["{{userId}}"]}""");
        var renamed = Unique("renamed");

        var patched = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Patch, $"roles/{id}", $$"""{"name":"{{renamed}}"}""");
        var described = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Patch, $"roles/{id}", """{"description":"Now described"}""");

        Assert.Equal(renamed, (string?)patched!["name"]);
        Assert.Equal((renamed, "Now described"), ((string?)described!["name"], (string?)described["description"]));
        var roles = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"users/{RbacServerFixture.Escape(userId)}/roles");
        Assert.Equal(renamed, (string?)roles!.AsArray().Single()!["name"]);
    }

    [Fact]
    public async Task Patch_NameOfAnotherRole_Is409AndChangesNothing()
    {
        var id = await fixture.CreateRoleAsync();
        var before = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles/{id}");

        await fixture.AssertErrorAsync(HttpStatusCode.Conflict, "conflict", HttpMethod.Patch, $"roles/{id}", """{"name":"clerk"}""");

        Assert.Equal(before!.ToJsonString(), (await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles/{id}"))!.ToJsonString());
    }

    [Fact]
    public async Task Delete_RoleWithMembers_RemovesRoleAndEveryAssignment()
    {
        var id = await fixture.CreateRoleAsync((RbacTenant.Orders, "read:orders"));
        var (first, _) = await fixture.CreateUserAsync();
        var (second, _) = await fixture.CreateUserAsync();
        await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Post, $"roles/{id}/users", $$"""{"users":["{{first}}","{{second}}"]}""");

        await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Delete, $"roles/{id}");

        await fixture.AssertErrorAsync(HttpStatusCode.NotFound, "inexistent_role", HttpMethod.Get, $"roles/{id}");
        Assert.Equal(0, await fixture.QueryAsync(db => db.Set<UserRole>().CountAsync(r => r.UserId == first || r.UserId == second)));
        Assert.Empty((await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"users/{RbacServerFixture.Escape(first)}/roles"))!.AsArray());
    }

    [Fact]
    public async Task Permissions_AddListRemove_Auth0ShapesAndNoDuplicates()
    {
        var id = await fixture.CreateRoleAsync();
        var body = RbacServerFixture.PermissionsBody((RbacTenant.Orders, "read:orders"), (RbacTenant.Orders, "write:orders"));

        await fixture.CallAsync(HttpStatusCode.Created, HttpMethod.Post, $"roles/{id}/permissions", body);
        await fixture.CallAsync(HttpStatusCode.Created, HttpMethod.Post, $"roles/{id}/permissions", body);
        var listed = (await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles/{id}/permissions"))!.AsArray();

        Assert.Equal(2, listed.Count);
        Assert.Equal(
            """{"resource_server_identifier":"https://orders.example.com","permission_name":"read:orders","resource_server_name":"Orders","description":"Read orders"}""",
            listed[0]!.ToJsonString());
        await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Delete, $"roles/{id}/permissions", RbacServerFixture.PermissionsBody((RbacTenant.Orders, "read:orders")));
        var page = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles/{id}/permissions?include_totals=true");
        Assert.Equal(1, (int)page!["total"]!);
        Assert.Equal("write:orders", (string?)page["permissions"]!.AsArray().Single()!["permission_name"]);
    }

    [Theory]
    [InlineData("https://ghost.example.com", "read:orders", "permissions[0].resource_server_identifier")]
    [InlineData("https://orders.example.com", "fly:orders", "permissions[0].permission_name")]
    public async Task Permissions_UnknownApiOrScope_Is400AndAddsNothing(string api, string permission, string property)
    {
        var id = await fixture.CreateRoleAsync();

        var error = await fixture.AssertErrorAsync(HttpStatusCode.BadRequest, "invalid_body", HttpMethod.Post, $"roles/{id}/permissions", RbacServerFixture.PermissionsBody((api, permission)));

        Assert.EndsWith($"on property {property}.", (string?)error["message"], StringComparison.Ordinal);
        Assert.Empty((await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles/{id}/permissions"))!.AsArray());
    }

    [Theory]
    [InlineData("""{"permissions":[]}""")]
    [InlineData("""{"permissions":[{"resource_server_identifier":"https://orders.example.com"}]}""")]
    [InlineData("""{"permissions":[{"resource_server_identifier":"https://orders.example.com","permission_name":"read:orders","extra":1}]}""")]
    [InlineData("""{}""")]
    public async Task Permissions_MalformedBody_Is400InvalidBody(string json)
    {
        var id = await fixture.CreateRoleAsync();

        await fixture.AssertErrorAsync(HttpStatusCode.BadRequest, "invalid_body", HttpMethod.Post, $"roles/{id}/permissions", json);
    }

    [Fact]
    public async Task Users_AssignAndListWithPaging_ReturnsMembers()
    {
        var id = await fixture.CreateRoleAsync();
        var users = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            users.Add((await fixture.CreateUserAsync()).UserId);
        }

        await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Post, $"roles/{id}/users", new JsonObject { ["users"] = new JsonArray([.. users.Select(u => (JsonNode)u)]) }.ToJsonString());
        var page = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles/{id}/users?per_page=2&include_totals=true");
        var rest = await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles/{id}/users?per_page=2&page=1");

        Assert.Equal(3, (int)page!["total"]!);
        var listed = page["users"]!.AsArray().Concat(rest!.AsArray()).Select(u => (string)u!["user_id"]!).ToList();
        Assert.Equal(users.Order(StringComparer.Ordinal), listed);
        Assert.EndsWith("@example.com", (string?)page["users"]![0]!["email"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_UnknownUser_Is404AndAssignsNobody()
    {
        var id = await fixture.CreateRoleAsync();
        var (known, _) = await fixture.CreateUserAsync();

        await fixture.AssertErrorAsync(HttpStatusCode.NotFound, "inexistent_user", HttpMethod.Post, $"roles/{id}/users", $$"""{"users":["{{known}}","latchkey|000000000000000000000000"]}""");

        Assert.Empty((await fixture.CallAsync(HttpStatusCode.OK, HttpMethod.Get, $"roles/{id}/users"))!.AsArray());
    }

    [Theory]
    [InlineData("GET", "roles", null, "read:roles")]
    [InlineData("POST", "roles", """{"name":"x"}""", "create:roles")]
    [InlineData("PATCH", "roles/rol_00000000000000000000000000000000", """{"name":"x"}""", "update:roles")]
    [InlineData("DELETE", "roles/rol_00000000000000000000000000000000", null, "delete:roles")]
    [InlineData("POST", "roles/rol_00000000000000000000000000000000/permissions", """{"permissions":[]}""", "update:roles")]
    [InlineData("GET", "roles/rol_00000000000000000000000000000000/users", null, "read:users,read:roles,read:role_members")]
    [InlineData("POST", "roles/rol_00000000000000000000000000000000/users", """{"users":[]}""", "update:roles,create:role_members")]
    public async Task Endpoint_TokenWithoutItsScope_Is403NamingTheScopes(string method, string path, string? json, string expected)
    {
        var error = await fixture.AssertErrorAsync(HttpStatusCode.Forbidden, "insufficient_scope", new HttpMethod(method), path, json, fixture.ReaderToken);

        Assert.Equal($"Insufficient scope, expected any of: {expected}", (string?)error["message"]);
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..20];
}
