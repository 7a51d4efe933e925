using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Latchkey.Server.Management;

/// <summary>
/// JSON settings of the Management API. Member names come from <c>[JsonPropertyName]</c> on each record (Auth0's
/// snake_case), matched case-sensitively as Auth0 does; duplicate members and unknown members are refused. Bodies are
/// parsed by <see cref="Hosting.StrictJson"/> first (<see cref="ManagementBody{T}"/>).
/// </summary>
internal static class ManagementJson
{
    /// <summary>Deep enough for any Auth0 body (metadata included), shallow enough to refuse nesting attacks (DOS-2).</summary>
    public const int MaxDepth = 32;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        MaxDepth = MaxDepth,
    };

    private static readonly JsonSerializerOptions SelectionOptions = new(JsonSerializerDefaults.General);

    /// <summary>
    /// Auth0's <c>fields</c>/<c>include_fields</c> on an answer record: only the listed top-level members
    /// (<paramref name="include"/>), or all but them. Unknown names select nothing, as in Auth0. The record's members
    /// must all be optional (written only when not null).
    /// </summary>
    public static T SelectFields<T>(T value, IReadOnlySet<string> fields, bool include)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var json = JsonSerializer.SerializeToNode(value, SelectionOptions)!.AsObject();
        foreach (var name in json.Select(p => p.Key).ToList())
        {
            if (fields.Contains(name) != include)
            {
                json.Remove(name);
            }
        }

        return json.Deserialize<T>(SelectionOptions)!;
    }
}
