using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Connections;

/// <summary>
/// Management API v2, connections: <c>GET /api/v2/connections</c>, <c>GET/PATCH/DELETE /api/v2/connections/{id}</c>,
/// <c>POST /api/v2/connections</c>. Latchkey has one connection, the database connection
/// <see cref="Connection.DefaultName"/> (<c>strategy: "auth0"</c>); its options that Latchkey honours
/// (<c>disable_signup</c>, <c>passwordPolicy</c>, <c>password_complexity_options.min_length</c>,
/// <c>brute_force_protection</c>) change through <see cref="TenantWriter"/>, so the next sign-up or login on every node
/// applies them. Creating or deleting a connection is refused with 403 <c>operation_not_supported</c>.
/// </summary>
internal static class ConnectionsApi
{
    public static RouteGroupBuilder MapConnectionsApi(this RouteGroupBuilder api)
    {
        var connections = api.MapGroup(string.Empty).WithTags("Connections");

        connections.MapGet("/connections", ListAsync)
            .WithName("get_connections")
            .WithSummary("Get connections")
            .RequireManagementScope(ManagementScopes.ReadConnections);

        connections.MapPost("/connections", (ManagementBody<ConnectionCreateRequest> body) => ManagementErrors.OneDatabaseConnection())
            .WithName("post_connections")
            .WithSummary("Create a connection (refused: Latchkey has one database connection)")
            .RequireManagementScope(ManagementScopes.CreateConnections)
            .ProducesManagementError(StatusCodes.Status403Forbidden);

        connections.MapGet("/connections/{id}", GetAsync)
            .WithName("get_connections_by_id")
            .WithSummary("Get a connection")
            .RequireManagementScope(ManagementScopes.ReadConnections)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        connections.MapPatch("/connections/{id}", UpdateAsync)
            .WithName("patch_connections_by_id")
            .WithSummary("Update the database connection's options")
            .RequireManagementScope(ManagementScopes.UpdateConnections)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        connections.MapDelete("/connections/{id}", DeleteAsync)
            .WithName("delete_connections_by_id")
            .WithSummary("Delete a connection (refused: the database connection cannot be deleted)")
            .RequireManagementScope(ManagementScopes.DeleteConnections)
            .ProducesManagementError(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Results<PagedResult<ConnectionResponse>, Ok<ConnectionCheckpointPage>, ManagementProblem>> ListAsync(
        PageRequest page,
        HttpRequest request,
        [FromQuery(Name = "name")] string? name,
        [FromQuery(Name = "strategy")] string[]? strategy,
        [FromQuery(Name = "fields")] string? fields,
        [FromQuery(Name = "include_fields")] string? includeFields,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "take")] string? take,
        LatchkeyDbContext db,
        CancellationToken cancellationToken)
    {
        var nameProblem = ManagementQuery.Text(request, "name", out var byName);
        var checkpointProblem = CheckpointPaging.Read(request, offsetPagingToo: false, out var checkpoint);
        var fieldsProblem = ManagementQuery.Fields(request, out var selection);
        if ((nameProblem ?? checkpointProblem ?? fieldsProblem) is { } problem)
        {
            return problem;
        }

        // strategy may repeat (Auth0: an array), e.g. strategy=auth0&strategy=google-oauth2.
        var strategies = request.Query["strategy"].Where(s => !string.IsNullOrEmpty(s)).ToHashSet(StringComparer.Ordinal);
        var matching = (await db.Set<Connection>().AsNoTracking().ToListAsync(cancellationToken))
            .Where(c => byName is null || c.Name == byName)
            .Where(c => strategies.Count == 0 || strategies.Contains(c.Strategy))
            .Select(ConnectionResponse.From)
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToList();

        // The cursor is the id, which fields= may leave out of the answer: slice first, then shape.
        if (checkpoint is not null)
        {
            var (items, next) = checkpoint.Slice(matching, c => c.Id!);
            return TypedResults.Ok(new ConnectionCheckpointPage(items.Select(c => Shape(c, selection)).ToList(), next));
        }

        return page.Respond(matching.Skip(page.Skip).Take(page.PerPage).Select(c => Shape(c, selection)).ToList(), matching.Count);
    }

    private static async Task<Results<Ok<ConnectionResponse>, ManagementProblem>> GetAsync(
        string id,
        HttpRequest request,
        [FromQuery(Name = "fields")] string? fields,
        [FromQuery(Name = "include_fields")] string? includeFields,
        LatchkeyDbContext db,
        CancellationToken cancellationToken)
    {
        if (ManagementQuery.Fields(request, out var selection) is { } problem)
        {
            return problem;
        }

        var connection = await db.Set<Connection>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return connection is null ? ManagementErrors.ConnectionByIdNotFound() : TypedResults.Ok(Shape(ConnectionResponse.From(connection), selection));
    }

    private static async Task<Results<Ok<ConnectionResponse>, ManagementProblem>> UpdateAsync(
        string id, ManagementBody<ConnectionUpdateRequest> body, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        var options = body.Value.Options;
        if (ManagementErrors.FirstInvalid(ConnectionRules.Check(options.PasswordPolicy, options.PasswordComplexityOptions.MinLength)) is { } invalid)
        {
            return invalid;
        }

        Connection? updated = null;
        var problem = await writer.RunAsync(
            async ct =>
            {
                var connection = await db.Set<Connection>().FirstOrDefaultAsync(c => c.Id == id, ct);
                if (connection is null)
                {
                    return ManagementErrors.ConnectionByIdNotFound();
                }

                // Auth0: "options" replaces the whole object; a member left out returns to its default.
                if (body.Members.Contains("options"))
                {
                    connection.DisableSignup = options.DisableSignup;
                    connection.PasswordPolicy = options.PasswordPolicy;
                    connection.PasswordMinLength = options.PasswordComplexityOptions.MinLength ?? PasswordPolicy.MinLength;
                    connection.BruteForceProtection = options.BruteForceProtection;
                }

                updated = connection;
                return null;
            },
            cancellationToken);
        return problem ?? (Results<Ok<ConnectionResponse>, ManagementProblem>)TypedResults.Ok(ConnectionResponse.From(updated!));
    }

    private static async Task<Results<NoContent, ManagementProblem>> DeleteAsync(string id, LatchkeyDbContext db, CancellationToken cancellationToken) =>
        await db.Set<Connection>().AnyAsync(c => c.Id == id, cancellationToken)
            ? ManagementErrors.OneDatabaseConnection()
            : ManagementErrors.ConnectionByIdNotFound();

    private static ConnectionResponse Shape(ConnectionResponse connection, (IReadOnlySet<string> Fields, bool Include)? selection) =>
        selection is { } s ? connection.Select(s.Fields, s.Include) : connection;
}
