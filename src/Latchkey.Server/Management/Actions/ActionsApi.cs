using System.Text.Json.Nodes;
using Latchkey.Server.Actions;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Actions;

/// <summary>
/// Management API v2, Actions (docs/actions.md): <c>GET/POST /actions/actions</c>, <c>GET/PATCH/DELETE
/// /actions/actions/{id}</c>, <c>POST /actions/actions/{id}/deploy</c>, <c>POST /actions/actions/{id}/test</c>,
/// <c>GET /actions/triggers</c>, <c>GET/PATCH /actions/triggers/{triggerId}/bindings</c>, in Auth0's shapes and scopes.
/// Actions are tenant configuration: every write goes through <see cref="TenantWriter"/>. Code is checked by
/// <see cref="ActionRules"/> (compiles, no <c>require</c>) on create, update and deploy; secret values are encrypted and
/// never returned.
/// </summary>
internal static class ActionsApi
{
    private const int MaxPerPage = 100;

    public static RouteGroupBuilder MapActionsApi(this RouteGroupBuilder api)
    {
        var actions = api.MapGroup("/actions").WithTags("Actions");

        actions.MapGet("/actions", ListAsync)
            .WithName("get_actions")
            .WithSummary("List Actions")
            .RequireManagementScope(ManagementScopes.ReadActions);

        actions.MapPost("/actions", CreateAsync)
            .WithName("post_action")
            .WithSummary("Create an Action")
            .RequireManagementScope(ManagementScopes.CreateActions)
            .ProducesManagementError(StatusCodes.Status409Conflict);

        actions.MapGet("/actions/{id}", GetAsync)
            .WithName("get_action")
            .WithSummary("Get an Action")
            .RequireManagementScope(ManagementScopes.ReadActions)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        actions.MapPatch("/actions/{id}", UpdateAsync)
            .WithName("patch_action")
            .WithSummary("Update an Action (its draft; deploy to run it)")
            .RequireManagementScope(ManagementScopes.UpdateActions)
            .ProducesManagementError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        actions.MapDelete("/actions/{id}", DeleteAsync)
            .WithName("delete_action")
            .WithSummary("Delete an Action (force=true also removes its bindings)")
            .RequireManagementScope(ManagementScopes.DeleteActions)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        actions.MapPost("/actions/{id}/deploy", DeployAsync)
            .WithName("post_deploy_action")
            .WithSummary("Deploy an Action")
            .RequireManagementScope(ManagementScopes.CreateActions)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        actions.MapPost("/actions/{id}/test", TestAsync)
            .WithName("post_test_action")
            .WithSummary("Run an Action's draft against an event and return its decisions")
            .RequireManagementScope(ManagementScopes.CreateActions)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        actions.MapGet("/triggers", ListTriggers)
            .WithName("get_triggers")
            .WithSummary("List the triggers Actions can bind to")
            .RequireManagementScope(ManagementScopes.ReadActions);

        actions.MapGet("/triggers/{triggerId}/bindings", GetBindingsAsync)
            .WithName("get_bindings")
            .WithSummary("List a trigger's bindings, in execution order")
            .RequireManagementScope(ManagementScopes.ReadActions)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        actions.MapPatch("/triggers/{triggerId}/bindings", UpdateBindingsAsync)
            .WithName("patch_bindings")
            .WithSummary("Replace a trigger's bindings")
            .RequireManagementScope(ManagementScopes.UpdateActions)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Results<Ok<ActionsPageResponse>, ManagementProblem>> ListAsync(
        HttpRequest request, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        if (Paging(request) is not ({ } page, { } perPage))
        {
            return ManagementErrors.InvalidQuery("Query validation error: page and per_page must be integers (per_page 1 to 100).");
        }

        var query = db.Set<ActionDefinition>().AsNoTracking();
        if (request.Query["actionName"].ToString() is { Length: > 0 } name)
        {
            query = query.Where(a => a.Name == name);
        }

        if (request.Query["deployed"].ToString() == "true")
        {
            query = query.Where(a => a.DeployedCode != null);
        }

        var all = await query.OrderBy(a => a.Name).ToListAsync(cancellationToken);
        if (request.Query["triggerId"].ToString() is { Length: > 0 } trigger)
        {
            all = all.Where(a => a.SupportedTriggers.Any(t => t.Id == trigger)).ToList();
        }

        return TypedResults.Ok(new ActionsPageResponse(all.Count, page, perPage, [.. all.Skip(page * perPage).Take(perPage).Select(ActionResponse.From)]));
    }

    private static async Task<Results<Ok<ActionResponse>, ManagementProblem>> GetAsync(string id, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        var action = await db.Set<ActionDefinition>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return action is null ? ManagementErrors.ActionNotFound() : TypedResults.Ok(ActionResponse.From(action));
    }

    private static async Task<Results<Created<ActionResponse>, ManagementProblem>> CreateAsync(
        ManagementBody<ActionCreateRequest> body,
        LatchkeyDbContext db,
        TenantWriter writer,
        ActionSecretProtector protector,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        var draft = new ActionDraft
        {
            Name = request.Name,
            Code = request.Code,
            Runtime = request.Runtime,
            SupportedTriggers = [.. request.SupportedTriggers.Select(t => new ActionTriggerDraft(t.Id, t.Version))],
            Secrets = [.. request.Secrets.Select(s => new ActionSecretDraft(s.Name, s.Value ?? string.Empty))],
        };
        if (Refuse(draft, request.Dependencies, create: true) is { } problem)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var action = new ActionDefinition
        {
            Id = ActionDefinition.NewId(),
            Name = request.Name.Trim(),
            Code = request.Code,
            Runtime = request.Runtime ?? ActionRuntimes.Default,
            SupportedTriggers = Triggers(request.SupportedTriggers),
            Secrets = [.. request.Secrets.Select(s => new ActionSecret { Name = s.Name, ProtectedValue = protector.Protect(s.Value ?? string.Empty), UpdatedAt = now })],
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (request.Deploy)
        {
            action.Deploy(now);
        }

        var conflict = false;
        await writer.WriteAsync(
            async ct =>
            {
                conflict = await db.Set<ActionDefinition>().AnyAsync(a => a.Name == action.Name, ct);
                if (!conflict)
                {
                    db.Add(action);
                }
            },
            cancellationToken);
        return conflict
            ? ManagementErrors.Conflict($"An action with the name '{action.Name}' already exists.", ManagementErrorCodes.Conflict)
            : TypedResults.Created($"/api/v2/actions/actions/{action.Id}", ActionResponse.From(action));
    }

    private static async Task<Results<Ok<ActionResponse>, ManagementProblem>> UpdateAsync(
        string id,
        ManagementBody<ActionUpdateRequest> body,
        LatchkeyDbContext db,
        TenantWriter writer,
        ActionSecretProtector protector,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        bool Sent(string member) => body.Members.Contains(member);
        var draft = new ActionDraft
        {
            Name = Sent("name") ? request.Name : null,
            Code = Sent("code") ? request.Code : null,
            Runtime = Sent("runtime") ? request.Runtime : null,
            SupportedTriggers = Sent("supported_triggers") ? [.. request.SupportedTriggers.Select(t => new ActionTriggerDraft(t.Id, t.Version))] : null,
            Secrets = Sent("secrets") ? [.. request.Secrets.Select(s => new ActionSecretDraft(s.Name, s.Value))] : null,
        };
        if (Refuse(draft, request.Dependencies, create: false) is { } problem)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var protectedValues = request.Secrets.Where(s => s.Value is not null).ToDictionary(s => s.Name, s => protector.Protect(s.Value!), StringComparer.Ordinal);
        ActionDefinition? action = null;
        ManagementProblem? refusal = null;
        await writer.WriteAsync(
            async ct =>
            {
                action = await db.Set<ActionDefinition>().FirstOrDefaultAsync(a => a.Id == id, ct);
                if (action is null)
                {
                    refusal = ManagementErrors.ActionNotFound();
                    return;
                }

                if (Sent("name") && request.Name.Trim() != action.Name && await db.Set<ActionDefinition>().AnyAsync(a => a.Name == request.Name.Trim(), ct))
                {
                    refusal = ManagementErrors.Conflict($"An action with the name '{request.Name.Trim()}' already exists.", ManagementErrorCodes.Conflict);
                    return;
                }

                var missing = request.Secrets.FirstOrDefault(s => s.Value is null && action.Secrets.All(stored => stored.Name != s.Name));
                if (Sent("secrets") && missing is not null)
                {
                    refusal = ManagementErrors.InvalidBody(new RuleProblem("secrets", $"secret \"{missing.Name}\" has no value"));
                    return;
                }

                action.Name = Sent("name") ? request.Name.Trim() : action.Name;
                action.Code = Sent("code") ? request.Code : action.Code;
                action.Runtime = Sent("runtime") ? request.Runtime : action.Runtime;
                action.SupportedTriggers = Sent("supported_triggers") ? Triggers(request.SupportedTriggers) : action.SupportedTriggers;
                if (Sent("secrets"))
                {
                    action.Secrets = [.. request.Secrets.Select(s => protectedValues.TryGetValue(s.Name, out var value)
                        ? new ActionSecret { Name = s.Name, ProtectedValue = value, UpdatedAt = now }
                        : action.Secrets.Single(stored => stored.Name == s.Name))];
                }

                action.UpdatedAt = now;
            },
            cancellationToken);
        return refusal ?? (Results<Ok<ActionResponse>, ManagementProblem>)TypedResults.Ok(ActionResponse.From(action!));
    }

    private static async Task<Results<NoContent, ManagementProblem>> DeleteAsync(
        string id, HttpRequest request, LatchkeyDbContext db, TenantWriter writer, CancellationToken cancellationToken)
    {
        var force = request.Query["force"].ToString() == "true";
        ManagementProblem? refusal = null;
        await writer.WriteAsync(
            async ct =>
            {
                var action = await db.Set<ActionDefinition>().FirstOrDefaultAsync(a => a.Id == id, ct);
                if (action is null)
                {
                    refusal = ManagementErrors.ActionNotFound();
                    return;
                }

                var bindings = await db.Set<ActionBinding>().Where(b => b.ActionId == id).ToListAsync(ct);
                if (bindings.Count > 0 && !force)
                {
                    // Auth0 refuses to delete a bound Action unless asked to unbind it too.
                    refusal = ManagementErrors.InvalidQuery($"The action is bound to {string.Join(", ", bindings.Select(b => b.TriggerId).Distinct())}; delete it with force=true to remove its bindings too.");
                    return;
                }

                db.RemoveRange(bindings);
                db.Remove(action);
            },
            cancellationToken);
        return refusal ?? (Results<NoContent, ManagementProblem>)TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ActionVersionResponse>, ManagementProblem>> DeployAsync(
        string id, LatchkeyDbContext db, TenantWriter writer, TimeProvider time, CancellationToken cancellationToken)
    {
        ActionDefinition? action = null;
        ManagementProblem? refusal = null;
        await writer.WriteAsync(
            async ct =>
            {
                action = await db.Set<ActionDefinition>().FirstOrDefaultAsync(a => a.Id == id, ct);
                if (action is null)
                {
                    refusal = ManagementErrors.ActionNotFound();
                }
                else if (ActionScript.Problem(action.Code) is { } problem)
                {
                    refusal = ManagementErrors.InvalidBody(new RuleProblem("code", problem));
                }
                else
                {
                    action.Deploy(time.GetUtcNow());
                }
            },
            cancellationToken);
        return refusal ?? (Results<Ok<ActionVersionResponse>, ManagementProblem>)TypedResults.Ok(ActionVersionResponse.From(action!));
    }

    private static async Task<Results<Ok<ActionTestResponse>, ManagementProblem>> TestAsync(
        string id,
        ManagementBody<ActionTestRequest> body,
        LatchkeyDbContext db,
        ActionSecretProtector protector,
        ActionChain chain,
        CancellationToken cancellationToken)
    {
        var action = await db.Set<ActionDefinition>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (action is null)
        {
            return ManagementErrors.ActionNotFound();
        }

        if (ActionScript.Problem(action.Code) is { } problem)
        {
            return ManagementErrors.InvalidBody(new RuleProblem("code", problem));
        }

        var trigger = action.SupportedTriggers.Select(t => t.Id).FirstOrDefault(ActionTriggers.Versions.ContainsKey) ?? ActionTriggers.PostLogin;
        var runnable = new RunnableAction(action.Id, action.Name, 0, ActionScript.Prepare(action.Code, action.Name), null,
            action.Secrets.ToDictionary(s => s.Name, s => protector.Unprotect(s.ProtectedValue), StringComparer.Ordinal));
        var @event = (JsonObject)body.Value.Payload.DeepClone();
        var decisions = chain.Run(trigger, [runnable], (a, _) =>
        {
            @event["secrets"] = ActionEvents.Secrets(a);
            return @event;
        }, cancellationToken);

        return TypedResults.Ok(new ActionTestResponse(new JsonObject
        {
            ["trigger_id"] = trigger,
            ["access_token_claims"] = Claims(decisions.AccessTokenClaims),
            ["id_token_claims"] = Claims(decisions.IdTokenClaims),
            ["scopes_added"] = new JsonArray([.. decisions.ScopeChanges.Where(c => c.Add).Select(c => (JsonNode?)c.Scope)]),
            ["scopes_removed"] = new JsonArray([.. decisions.ScopeChanges.Where(c => !c.Add).Select(c => (JsonNode?)c.Scope)]),
            ["access_denied"] = decisions.DenyReason is null ? null : new JsonObject { ["code"] = decisions.DenyCode ?? "access_denied", ["reason"] = decisions.DenyReason },
            ["user_metadata"] = decisions.UserMetadata.DeepClone(),
            ["app_metadata"] = decisions.AppMetadata.DeepClone(),
            ["logs"] = new JsonArray([.. decisions.Logs.Select(l => (JsonNode?)l)]),
            ["error"] = decisions.Failure is null ? null : new JsonObject { ["kind"] = decisions.Failure.Kind, ["message"] = decisions.Failure.Detail },
        }));
    }

    private static Ok<TriggersResponse> ListTriggers() => TypedResults.Ok(new TriggersResponse(
        [.. ActionTriggers.Versions.Select(t => new TriggerResponse(t.Key, t.Value, "CURRENT", ActionRuntimes.All, ActionRuntimes.Default))]));

    private static async Task<Results<Ok<BindingsPageResponse>, ManagementProblem>> GetBindingsAsync(
        string triggerId, HttpRequest request, LatchkeyDbContext db, CancellationToken cancellationToken)
    {
        if (!ActionTriggers.Versions.ContainsKey(triggerId))
        {
            return TriggerNotFound(triggerId);
        }

        if (Paging(request) is not ({ } page, { } perPage))
        {
            return ManagementErrors.InvalidQuery("Query validation error: page and per_page must be integers (per_page 1 to 100).");
        }

        var bindings = await BindingsAsync(db, triggerId, cancellationToken);
        return TypedResults.Ok(new BindingsPageResponse(bindings.Count, page, perPage, [.. bindings.Skip(page * perPage).Take(perPage)]));
    }

    private static async Task<Results<Ok<BindingsResponse>, ManagementProblem>> UpdateBindingsAsync(
        string triggerId,
        ManagementBody<BindingsUpdateRequest> body,
        LatchkeyDbContext db,
        TenantWriter writer,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!ActionTriggers.Versions.ContainsKey(triggerId))
        {
            return TriggerNotFound(triggerId);
        }

        ManagementProblem? refusal = null;
        await writer.WriteAsync(
            async ct =>
            {
                var existing = await db.Set<ActionBinding>().Where(b => b.TriggerId == triggerId).ToListAsync(ct);
                var actions = await db.Set<ActionDefinition>().ToListAsync(ct);
                var items = body.Value.Bindings;
                var added = new List<ActionBinding>();
                for (var i = 0; i < items.Count; i++)
                {
                    var reference = items[i].Ref;
                    var action = reference.Type switch
                    {
                        "action_id" => actions.FirstOrDefault(a => a.Id == reference.Value),
                        "action_name" => actions.FirstOrDefault(a => a.Name == reference.Value),
                        "binding_id" => actions.FirstOrDefault(a => existing.Any(b => b.Id.ToString("D") == reference.Value && b.ActionId == a.Id)),
                        _ => null,
                    };
                    var at = RulePath.Join(RulePath.Index("bindings", i), "ref");
                    var problem = action is null
                        ? $"no action with {reference.Type} \"{reference.Value}\" (type is action_id, action_name or binding_id)"
                        : ActionRules.CheckBinding(triggerId, new ActionBindingDraft(action.Name, null), new Dictionary<string, (IReadOnlySet<string>, bool)>(StringComparer.Ordinal)
                        {
                            [action.Name] = (action.SupportedTriggers.Select(t => t.Id).ToHashSet(StringComparer.Ordinal), action.DeployedCode is not null),
                        });
                    if (problem is not null)
                    {
                        refusal = ManagementErrors.InvalidBody(new RuleProblem(at, problem));
                        return;
                    }

                    added.Add(new ActionBinding { TriggerId = triggerId, Position = i, ActionId = action!.Id, DisplayName = items[i].DisplayName ?? action.Name, CreatedAt = time.GetUtcNow() });
                }

                db.RemoveRange(existing);
                db.AddRange(added);
            },
            cancellationToken);
        return refusal ?? (Results<Ok<BindingsResponse>, ManagementProblem>)TypedResults.Ok(new BindingsResponse(await BindingsAsync(db, triggerId, cancellationToken)));
    }

    private static async Task<List<BindingResponse>> BindingsAsync(LatchkeyDbContext db, string triggerId, CancellationToken cancellationToken)
    {
        var bindings = await db.Set<ActionBinding>().AsNoTracking().Where(b => b.TriggerId == triggerId).OrderBy(b => b.Position).ToListAsync(cancellationToken);
        var ids = bindings.Select(b => b.ActionId).ToList();
        var actions = await db.Set<ActionDefinition>().AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        return [.. bindings.Select(b => BindingResponse.From(b, actions[b.ActionId]))];
    }

    /// <summary>The rules' refusal of <paramref name="draft"/> as Auth0's 400, or null. Any dependency is refused by name.</summary>
    private static ManagementProblem? Refuse(ActionDraft draft, List<ActionDependencyItem> dependencies, bool create)
    {
        if (dependencies.Count > 0)
        {
            return ManagementErrors.InvalidBody(new RuleProblem("dependencies[0].name", ActionRules.Dependency(dependencies[0].Name)));
        }

        return ActionRules.Check(draft, create: create) is [var first, ..] ? ManagementErrors.InvalidBody(first) : null;
    }

    private static List<ActionTriggerRef> Triggers(List<ActionTriggerItem> triggers) =>
        [.. triggers.Select(t => new ActionTriggerRef { Id = t.Id, Version = t.Version ?? ActionTriggers.Versions[t.Id] })];

    private static JsonObject Claims(Dictionary<string, JsonNode?> claims) =>
        new([.. claims.Select(c => KeyValuePair.Create(c.Key, c.Value?.DeepClone()))]);

    private static ManagementProblem TriggerNotFound(string triggerId) =>
        new(new(404, "Not Found", $"The trigger '{triggerId}' does not exist (post-login, credentials-exchange).", ManagementErrorCodes.InvalidUri));

    /// <summary>Auth0's <c>page</c> (from 0) and <c>per_page</c> (default 50, at most 100), or null when malformed.</summary>
    private static (int? Page, int? PerPage) Paging(HttpRequest request)
    {
        var page = request.Query["page"].ToString() is { Length: > 0 } p ? int.TryParse(p, out var n) && n >= 0 ? n : (int?)null : 0;
        var perPage = request.Query["per_page"].ToString() is { Length: > 0 } pp ? int.TryParse(pp, out var m) && m is >= 1 and <= MaxPerPage ? m : (int?)null : 50;
        return (page, perPage);
    }
}
