using System.Reflection;
using System.Text.Json;

namespace Kefu.Cluster;

/// <summary>
/// The methods of Kefu's API that travel between nodes: every method of <see cref="IKefu"/> and its facets, named by
/// facet, name and number of arguments, with how to find the tenant, await the result and write it as JSON.
/// </summary>
internal sealed class CommandCatalog
{
    private readonly Dictionary<(string Facet, string Name, int Arity), CommandMethod> _byName = [];
    private readonly Dictionary<MethodInfo, CommandMethod> _byMethod = [];

    public CommandCatalog()
    {
        Add("Kefu", typeof(IKefu));
        Add("Organisation", typeof(IKefuOrganisation));
        Add("Directory", typeof(IKefuDirectory));
        Add("Conversations", typeof(IKefuConversations));
        Add("History", typeof(IKefuHistory));
    }

    /// <summary>JSON as the stores write model records.</summary>
    public JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.General);

    public CommandMethod Of(MethodInfo method) => _byMethod.TryGetValue(method, out var m)
        ? m
        : throw new InvalidOperationException($"{method.DeclaringType?.Name}.{method.Name} is not a Kefu API method.");

    public CommandMethod? Find(string facet, string name, int arity) => _byName.GetValueOrDefault((facet, name, arity));

    private void Add(string facet, Type type)
    {
        foreach (var method in type.GetMethods())
        {
            if (method.IsSpecialName || !typeof(ValueTask).IsAssignableFrom(method.ReturnType) && !(method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
            {
                continue;
            }

            var command = new CommandMethod(facet, method);
            _byName.Add((facet, method.Name, command.Arguments.Count), command);
            _byMethod.Add(method, command);
        }
    }
}

/// <summary>One API method: its arguments (without the cancellation token), where the tenant id is, and its result type.</summary>
internal sealed class CommandMethod
{
    private static readonly MethodInfo AwaitTyped = typeof(CommandMethod).GetMethod(nameof(AwaitResultAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private readonly Func<object, Task<object?>> _await;

    public CommandMethod(string facet, MethodInfo method)
    {
        Facet = facet;
        Method = method;
        var parameters = method.GetParameters();
        Arguments = [.. parameters.Where(p => p.ParameterType != typeof(CancellationToken))];
        CancellationIndex = Array.FindIndex(parameters, p => p.ParameterType == typeof(CancellationToken));
        TenantIndex = Array.FindIndex(parameters, p => p.Name == "tenantId" && p.ParameterType == typeof(long));
        ResultType = method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : null;
        _await = ResultType is null
            ? static async task => { await ((ValueTask)task).ConfigureAwait(false); return null; }
            : AwaitTyped.MakeGenericMethod(ResultType).CreateDelegate<Func<object, Task<object?>>>();
    }

    public string Facet { get; }
    public MethodInfo Method { get; }
    public IReadOnlyList<ParameterInfo> Arguments { get; }
    public int CancellationIndex { get; }

    /// <summary>The index of the <c>tenantId</c> parameter, or -1 for organisation-wide methods.</summary>
    public int TenantIndex { get; }

    /// <summary>The result type, or null for methods returning a plain <see cref="ValueTask"/>.</summary>
    public Type? ResultType { get; }

    /// <summary>Whether the method creates a tenant (its shard is not known before its id is drawn).</summary>
    public bool CreatesTenant => Facet == "Organisation" && Method.Name == nameof(IKefuOrganisation.CreateTenantAsync);

    /// <summary>Calls the method on <paramref name="target"/> and awaits it; the result is boxed (null for none).</summary>
    public Task<object?> InvokeAsync(object target, object?[] arguments)
    {
        object returned;
        try
        {
            returned = Method.Invoke(target, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            return Task.FromException<object?>(e.InnerException);
        }

        return _await(returned);
    }

    /// <summary>The full argument array of a call: the JSON arguments and the cancellation token in its place.</summary>
    public object?[] ReadArguments(IReadOnlyList<string> json, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var all = new object?[Arguments.Count + (CancellationIndex >= 0 ? 1 : 0)];
        var next = 0;
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = i == CancellationIndex ? cancellationToken : JsonSerializer.Deserialize(json[next], Arguments[next++].ParameterType, options);
        }

        return all;
    }

    /// <summary>The JSON arguments of a call, without the cancellation token.</summary>
    public IEnumerable<string> WriteArguments(object?[] all, JsonSerializerOptions options)
    {
        var next = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (i != CancellationIndex)
            {
                yield return JsonSerializer.Serialize(all[i], Arguments[next++].ParameterType, options);
            }
        }
    }

    private static async Task<object?> AwaitResultAsync<T>(object task) => await ((ValueTask<T>)task).ConfigureAwait(false);
}
