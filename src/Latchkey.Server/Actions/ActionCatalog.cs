using System.Collections.Concurrent;
using Acornima.Ast;
using Jint;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Actions;

/// <summary>
/// The Actions each trigger runs, in binding order, derived from the tenant: it follows <see cref="TenantCache"/> (reloaded
/// when the snapshot is replaced, i.e. after any tenant write on any node) and keeps every script parsed once per
/// deployed version, so a reload re-parses only what was redeployed. With nothing bound, <see cref="ForTriggerAsync"/>
/// costs one snapshot read and one comparison: logins without Actions pay nothing else.
/// </summary>
internal sealed class ActionCatalog(TenantCache tenants, IServiceScopeFactory scopes, ActionSecretProtector protector, ILogger<ActionCatalog> logger) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly ConcurrentDictionary<(string Id, int Version), Prepared<Script>> _scripts = new();
    private volatile Loaded? _loaded;

    public async ValueTask<IReadOnlyList<RunnableAction>> ForTriggerAsync(string triggerId, CancellationToken cancellationToken)
    {
        var snapshot = await tenants.GetAsync(cancellationToken);
        var loaded = _loaded;
        if (loaded is null || loaded.SnapshotVersion != snapshot.Version)
        {
            loaded = await LoadAsync(snapshot.Version, cancellationToken);
        }

        return loaded.ByTrigger.GetValueOrDefault(triggerId) ?? [];
    }

    public void Dispose() => _reload.Dispose();

    private async Task<Loaded> LoadAsync(long snapshotVersion, CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (_loaded is { } current && current.SnapshotVersion == snapshotVersion)
            {
                return current;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            var bindings = await db.Set<ActionBinding>().AsNoTracking().OrderBy(b => b.TriggerId).ThenBy(b => b.Position).ToListAsync(cancellationToken);
            var ids = bindings.Select(b => b.ActionId).Distinct().ToList();
            var actions = ids.Count == 0
                ? []
                : await db.Set<ActionDefinition>().AsNoTracking().Where(a => ids.Contains(a.Id) && a.DeployedCode != null).ToDictionaryAsync(a => a.Id, cancellationToken);

            var runnable = actions.Values.ToDictionary(a => a.Id, Runnable);
            foreach (var stale in _scripts.Keys.Where(k => !runnable.TryGetValue(k.Id, out var r) || r.Version != k.Version))
            {
                _scripts.TryRemove(stale, out _);
            }

            var byTrigger = bindings
                .Where(b => runnable.ContainsKey(b.ActionId))
                .GroupBy(b => b.TriggerId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<RunnableAction>)g.Select(b => runnable[b.ActionId]).ToList(), StringComparer.Ordinal);
            var loaded = new Loaded(snapshotVersion, byTrigger);
            _loaded = loaded;
            return loaded;
        }
        finally
        {
            _reload.Release();
        }
    }

    private RunnableAction Runnable(ActionDefinition action)
    {
        var secrets = action.Secrets.ToDictionary(s => s.Name, s => protector.Unprotect(s.ProtectedValue), StringComparer.Ordinal);
        try
        {
            var script = _scripts.GetOrAdd((action.Id, action.DeployedVersion), _ => ActionScript.Prepare(action.DeployedCode!, action.Name));
            return new RunnableAction(action.Id, action.Name, action.DeployedVersion, script, null, secrets);
        }
        catch (ScriptPreparationException ex)
        {
            logger.LogError("Action {Action} version {Version} does not parse and will fail closed: {Problem}", action.Name, action.DeployedVersion, ex.Message);
            return new RunnableAction(action.Id, action.Name, action.DeployedVersion, null, ex.Message, secrets);
        }
    }

    private sealed record Loaded(long SnapshotVersion, IReadOnlyDictionary<string, IReadOnlyList<RunnableAction>> ByTrigger);
}
