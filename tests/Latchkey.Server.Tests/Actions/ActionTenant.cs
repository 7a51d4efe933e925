using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Protocol;

namespace Latchkey.Server.Tests.Actions;

/// <summary>
/// <see cref="ProtocolTenant"/> plus Actions in the shape Auth0's Deploy CLI writes (<c>actions</c>, <c>triggers</c>),
/// and a second user for tests that need one login to behave differently.
/// </summary>
internal static class ActionTenant
{
    public const string OtherEmail = "bob@example.com";
    public const string OtherPassword = "another horse battery";

    /// <summary>One deployed Action per entry, bound to its trigger in the order given.</summary>
    public static string Json(params ActionSpec[] actions)
    {
        var tenant = JsonNode.Parse(ProtocolTenant.Json)!.AsObject();
        tenant["users"]!.AsArray().Add(new JsonObject
        {
            ["email"] = OtherEmail,
            ["password"] = OtherPassword,
            ["email_verified"] = true,
            ["user_metadata"] = new JsonObject { ["keep"] = 1, ["drop"] = 2 },
        });
        var list = new JsonArray();
        var triggers = new JsonObject();
        foreach (var action in actions)
        {
            list.Add(new JsonObject
            {
                ["name"] = action.Name,
                ["code"] = action.Code,
                ["runtime"] = "node22",
                ["deployed"] = true,
                ["status"] = "built",
                ["dependencies"] = new JsonArray(),
                ["supported_triggers"] = new JsonArray(new JsonObject { ["id"] = action.Trigger, ["version"] = action.Trigger == "post-login" ? "v3" : "v2" }),
                ["secrets"] = new JsonArray([.. action.Secrets.Select(s => (JsonNode)new JsonObject { ["name"] = s.Key, ["value"] = s.Value })]),
            });
            if (triggers[action.Trigger] is not JsonArray bindings)
            {
                bindings = [];
                triggers[action.Trigger] = bindings;
            }

            bindings.Add(new JsonObject { ["action_name"] = action.Name, ["display_name"] = action.Name });
        }

        tenant["actions"] = list;
        tenant["triggers"] = triggers;
        return tenant.ToJsonString();
    }
}

/// <summary>An Action of <see cref="ActionTenant"/>.</summary>
internal sealed record ActionSpec(string Name, string Code, string Trigger = "post-login")
{
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
}
