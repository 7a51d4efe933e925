using System.Globalization;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;
using Jint.Runtime.Interop;
using Latchkey.Server.Hosting;

namespace Latchkey.Server.Actions;

/// <summary>
/// Runs one Action in Jint: a fresh engine per execution (nothing leaks between Actions or logins) over the script parsed
/// once per version, with the limits of <c>Latchkey:Actions</c> — statements, recursion depth, allocated bytes — and the
/// chain's deadline as the engine's cancellation token (checked between statements, so <c>while (true) {}</c> stops).
/// No CLR access (Jint's default: no assemblies, <c>GetType</c> hidden); the script sees only <c>exports</c>,
/// <c>module</c>, <c>require</c> (which names the module and throws), <c>console</c>, the <c>event</c> (JSON) and the
/// <c>api</c> built here from functions that record into <see cref="ActionDecisions"/>.
/// </summary>
internal sealed class ActionSandbox(ActionCache cache, TimeProvider time)
{
    private const int MaxLogLines = 50;
    private const int MaxLogChars = 8 * 1024;

    /// <summary>Api members of Auth0 that Latchkey does not offer: calling one throws an error naming it.</summary>
    private static readonly Dictionary<string, string[]> PostLoginUnsupported = new(StringComparer.Ordinal)
    {
        ["authentication"] = ["challengeWith", "challengeWithAny", "enrollWith", "enrollWithAny", "recordMethod", "setPrimaryUser"],
        ["multifactor"] = ["enable"],
        ["redirect"] = ["sendUserTo", "encodeToken", "validateToken"],
        ["samlResponse"] = ["setAttribute", "setAudience", "setIssuer", "setEncryptionCert", "setRecipient", "setCreateUpnClaim", "setPassthroughClaimsWithNoMapping", "setMapUnknownClaimsAsIs", "setMapIdentities", "setDestination", "setRelayState", "setLifetimeInSeconds", "setSignResponse", "setNameIdentifierFormat", "setNameIdentifierProbes", "setAuthnContextClassRef", "setSigningCert", "setIncludeAttributeNameFormat", "setTypedAttributes", "setEncryptionPublicKey", "setCert", "setKey", "setSignatureAlgorithm", "setDigestAlgorithm"],
        ["session"] = ["revoke", "setExpiresAt", "setIdleExpiresAt"],
        ["refreshToken"] = ["revoke", "setExpiresAt", "setIdleExpiresAt"],
        ["prompt"] = ["render"],
        ["rules"] = ["wasExecuted"],
        ["transaction"] = ["setResultUrl"],
    };

    /// <summary>
    /// Runs <paramref name="action"/>'s handler for <paramref name="triggerId"/> with <paramref name="eventJson"/>;
    /// records into <paramref name="decisions"/> and returns null, or returns why it failed.
    /// </summary>
    public ActionFailure? Run(RunnableAction action, string triggerId, JsonObject eventJson, ActionDecisions decisions, ActionOptions limits, CancellationToken deadline)
    {
        if (action.Script is not { } script)
        {
            return new ActionFailure(action.Name, "it does not compile", action.Problem ?? "no script");
        }

        var logs = new ActionLog(decisions.Logs, action.Name);
        try
        {
            var engine = new Engine(options => options
                .LimitMemory(limits.MaxMemoryBytes)
                .MaxStatements(limits.MaxStatements)
                .LimitRecursion(limits.MaxRecursionDepth)
                .CancellationToken(deadline)
                .RegexTimeoutInterval(limits.TimeLimit)
                .LocalTimeZone(TimeZoneInfo.Utc)
                .Culture(CultureInfo.InvariantCulture));

            var exports = new JsObject(engine);
            var module = new JsObject(engine);
            module.Set("exports", exports);
            engine.SetValue("exports", exports);
            engine.SetValue("module", module);
            engine.SetValue("require", Function(engine, "require", args =>
                throw new JavaScriptException(engine.Intrinsics.Error, $"Cannot find module '{Text(args, 0)}': Actions in Latchkey cannot load modules (docs/actions.md)")));
            engine.SetValue("console", Console(engine, logs));

            engine.Execute(script);
            var handler = module.Get("exports").IsObject() ? module.Get("exports").AsObject().Get(ActionTriggers.HandlerName(triggerId)) : JsValue.Undefined;
            if (handler is not Jint.Native.Function.Function)
            {
                logs.Add($"(latchkey) the Action does not export {ActionTriggers.HandlerName(triggerId)}; nothing ran");
                return null;
            }

            var @event = new JsonParser(engine).Parse(eventJson.ToJsonString());
            var api = triggerId == ActionTriggers.PostLogin
                ? PostLoginApi(engine, action, decisions, logs)
                : CredentialsExchangeApi(engine, action, decisions, logs);
            engine.Invoke(handler, @event, api).UnwrapIfPromise(deadline);
            return null;
        }
        catch (ExecutionCanceledException)
        {
            return new ActionFailure(action.Name, "time limit exceeded", "the chain's wall-time limit (Latchkey:Actions:TimeLimit) was reached");
        }
        catch (StatementsCountOverflowException)
        {
            return new ActionFailure(action.Name, "statement limit exceeded", $"more than {limits.MaxStatements} statements");
        }
        catch (RecursionDepthOverflowException)
        {
            return new ActionFailure(action.Name, "recursion limit exceeded", $"more than {limits.MaxRecursionDepth} nested calls");
        }
        catch (MemoryLimitExceededException)
        {
            return new ActionFailure(action.Name, "memory limit exceeded", $"more than {limits.MaxMemoryBytes} bytes allocated");
        }
        catch (PromiseRejectedException ex)
        {
            return new ActionFailure(action.Name, "it threw an error", Shorten(ex.RejectedValue.ToString()));
        }
        catch (JavaScriptException ex)
        {
            return new ActionFailure(action.Name, "it threw an error", Shorten($"{ex.Error} at line {ex.Location.Start.Line}"));
        }
        catch (JintException ex)
        {
            return new ActionFailure(action.Name, "it failed", Shorten(ex.Message));
        }
    }

    private JsObject PostLoginApi(Engine engine, RunnableAction action, ActionDecisions decisions, ActionLog logs)
    {
        var api = new JsObject(engine);
        api.Set("access", Object(engine, ("deny", args =>
        {
            decisions.DenyReason ??= Shorten(Text(args, 0) ?? "Access denied");
            return JsValue.Undefined;
        }
        )));
        api.Set("accessToken", Object(engine,
            ("setCustomClaim", args => SetClaim(engine, decisions, decisions.AccessTokenClaims, args, logs)),
            ("addScope", args => ChangeScope(decisions, args, add: true)),
            ("removeScope", args => ChangeScope(decisions, args, add: false))));
        api.Set("idToken", Object(engine, ("setCustomClaim", args => SetClaim(engine, decisions, decisions.IdTokenClaims, args, logs))));
        api.Set("user", Object(engine,
            ("setUserMetadata", args => SetMetadata(engine, decisions.UserMetadata, args)),
            ("setAppMetadata", args => SetMetadata(engine, decisions.AppMetadata, args))));
        api.Set("cache", Cache(engine, action));
        foreach (var (name, methods) in PostLoginUnsupported)
        {
            api.Set(name, Object(engine, methods.Select(method => (method, (Func<JsValue[], JsValue>)(_ =>
                throw new JavaScriptException(engine.Intrinsics.TypeError, $"api.{name}.{method} is not supported by Latchkey (docs/actions.md)")))).ToArray()));
        }

        return api;
    }

    private JsObject CredentialsExchangeApi(Engine engine, RunnableAction action, ActionDecisions decisions, ActionLog logs)
    {
        var api = new JsObject(engine);
        api.Set("access", Object(engine, ("deny", args =>
        {
            // Auth0: api.access.deny(code, reason) with code invalid_scope, invalid_request or server_error.
            if (decisions.DenyReason is null)
            {
                var code = Text(args, 0);
                decisions.DenyCode = code is "invalid_scope" or "invalid_request" or "server_error" ? code : "access_denied";
                decisions.DenyReason = Shorten(Text(args, 1) ?? Text(args, 0) ?? "Access denied");
            }

            return JsValue.Undefined;
        }
        )));
        api.Set("accessToken", Object(engine, ("setCustomClaim", args => SetClaim(engine, decisions, decisions.AccessTokenClaims, args, logs))));
        api.Set("cache", Cache(engine, action));
        return api;
    }

    private JsObject Cache(Engine engine, RunnableAction action) => Object(engine,
        ("get", args =>
        {
            var entry = Text(args, 0) is { } key ? cache.Get(action.Id, key) : null;
            return entry is null ? JsValue.Undefined : Record(engine, entry);
        }
    ),
        ("set", args =>
        {
            var key = Text(args, 0);
            var value = args.Length > 1 && args[1].IsString() ? args[1].AsString() : null;
            var error = key is null || value is null ? "invalid_value" : cache.Set(action.Id, key, value, Expiry(args.Length > 2 ? args[2] : JsValue.Undefined));
            var result = new JsObject(engine);
            if (error is null)
            {
                result.Set("type", "success");
                result.Set("record", Record(engine, cache.Get(action.Id, key!)!));
            }
            else
            {
                result.Set("type", "error");
                result.Set("code", error);
            }

            return result;
        }
    ),
        ("delete", args =>
        {
            if (Text(args, 0) is { } key)
            {
                cache.Delete(action.Id, key);
            }

            var result = new JsObject(engine);
            result.Set("type", "success");
            return result;
        }
    ));

    private DateTimeOffset? Expiry(JsValue options)
    {
        if (!options.IsObject())
        {
            return null;
        }

        var o = options.AsObject();
        if (o.Get("expires_at").IsNumber())
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Clamp(o.Get("expires_at").AsNumber(), 0, 253402300799000));
        }

        return o.Get("ttl").IsNumber() ? time.GetUtcNow().AddMilliseconds(Math.Clamp(o.Get("ttl").AsNumber(), 0, ActionCache.MaxTtl.TotalMilliseconds)) : null;
    }

    private static JsObject Record(Engine engine, ActionCache.Entry entry)
    {
        var record = new JsObject(engine);
        record.Set("value", entry.Value);
        record.Set("expires_at", entry.ExpiresAt.ToUnixTimeMilliseconds());
        return record;
    }

    private static JsValue SetClaim(Engine engine, ActionDecisions decisions, Dictionary<string, JsonNode?> claims, JsValue[] args, ActionLog logs)
    {
        var name = Text(args, 0) ?? throw new JavaScriptException(engine.Intrinsics.TypeError, "setCustomClaim(name, value): name must be a string");
        if (!ActionClaims.IsAllowed(name))
        {
            // Auth0 leaves a restricted claim out and lets the transaction go on.
            logs.Add($"(latchkey) custom claim \"{name}\" is restricted and was not set");
            return JsValue.Undefined;
        }

        var json = Json(engine, args.Length > 1 ? args[1] : JsValue.Undefined);
        decisions.ClaimBytes += name.Length + (json?.Length ?? 0);
        if (decisions.ClaimBytes > ActionDecisions.MaxClaimBytes)
        {
            throw new JavaScriptException(engine.Intrinsics.Error, $"custom claims exceed {ActionDecisions.MaxClaimBytes} bytes");
        }

        claims[name] = json is null ? null : JsonNode.Parse(json);
        return JsValue.Undefined;
    }

    private static JsValue ChangeScope(ActionDecisions decisions, JsValue[] args, bool add)
    {
        if (Text(args, 0) is { Length: > 0 and <= 280 } scope && !scope.Contains(' ', StringComparison.Ordinal))
        {
            decisions.ScopeChanges.Add((scope, add));
        }

        return JsValue.Undefined;
    }

    private static JsValue SetMetadata(Engine engine, JsonObject patch, JsValue[] args)
    {
        var name = Text(args, 0) ?? throw new JavaScriptException(engine.Intrinsics.TypeError, "setUserMetadata(name, value): name must be a string");
        var json = Json(engine, args.Length > 1 ? args[1] : JsValue.Undefined);
        patch[name] = json is null ? null : JsonNode.Parse(json);
        return JsValue.Undefined;
    }

    private static JsObject Console(Engine engine, ActionLog logs)
    {
        Func<JsValue[], JsValue> log = args =>
        {
            logs.Add(string.Join(' ', args.Select(a => a.IsString() ? a.AsString() : Json(engine, a) ?? a.ToString())));
            return JsValue.Undefined;
        };
        return Object(engine, ("log", log), ("info", log), ("warn", log), ("error", log), ("debug", log));
    }

    /// <summary>JSON text of a script value (JSON.stringify), or null for undefined and functions.</summary>
    private static string? Json(Engine engine, JsValue value)
    {
        var json = new JsonSerializer(engine).Serialize(value);
        return json.IsString() ? json.AsString() : null;
    }

    private static string? Text(JsValue[] args, int index) => args.Length > index && args[index].IsString() ? args[index].AsString() : null;

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static JsObject Object(Engine engine, params (string Name, Func<JsValue[], JsValue> Body)[] members)
    {
        var o = new JsObject(engine);
        foreach (var (name, body) in members)
        {
            o.Set(name, Function(engine, name, body));
        }

        return o;
    }

    private static ClrFunction Function(Engine engine, string name, Func<JsValue[], JsValue> body) =>
        new(engine, name, (_, args) => body(args));

    /// <summary><c>console.*</c> lines of one Action, bounded so a chatty script cannot grow the log.</summary>
    private sealed class ActionLog(List<string> lines, string action)
    {
        private int _count;
        private int _chars;

        public void Add(string line)
        {
            if (_count > MaxLogLines || _chars > MaxLogChars)
            {
                return;
            }

            _count++;
            _chars += line.Length;
            lines.Add(_count > MaxLogLines || _chars > MaxLogChars ? $"[{action}] (log truncated)" : $"[{action}] {Shorten(line)}");
        }
    }
}
