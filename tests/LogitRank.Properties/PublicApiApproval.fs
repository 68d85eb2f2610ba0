/// The public API freeze of LogitRank.FsCheck. The Roslyn PublicApiAnalyzers (RS0016/RS0017) that freeze the C#
/// libraries do not run on F#, so this approval test does the same job: it lists the assembly's public surface by
/// reflection and compares it with the committed src/LogitRank.FsCheck/PublicAPI.approved.txt. After an intended API
/// change, run the test with LOGITRANK_ACCEPT_API=1 in the environment (it then rewrites the file and passes), review
/// the diff and commit it.
module LogitRank.Properties.PublicApiProperties

open System
open System.IO
open System.Reflection
open Xunit

/// The type's name as the runtime spells it (namespace, nesting with '+', generic arguments in brackets): stable
/// across builds, unlike metadata tokens or member order.
let private orElse (fallback: string) (value: string | null) : string =
    match value with
    | null -> fallback
    | v -> v

let rec private typeName (t: Type) : string =
    let element () =
        match t.GetElementType() with
        | null -> t.Name
        | e -> typeName e
    if t.IsGenericParameter then t.Name
    elif t.IsArray then element () + "[" + String(',', t.GetArrayRank() - 1) + "]"
    elif t.IsByRef then element () + "&"
    elif t.IsGenericType then
        let definition = t.GetGenericTypeDefinition()
        let name = (orElse definition.Name definition.FullName).Split('`').[0]
        name + "<" + String.Join(", ", t.GetGenericArguments() |> Array.map typeName) + ">"
    else orElse t.Name t.FullName

let private parameters (ps: ParameterInfo[]) =
    String.Join(", ", ps |> Array.map (fun p -> typeName p.ParameterType + " " + orElse "" p.Name))

let private kind (t: Type) =
    if t.IsInterface then "interface"
    elif t.IsEnum then "enum"
    elif t.IsValueType then "struct"
    elif t.IsAbstract && t.IsSealed then "static class"
    elif t.IsAbstract then "abstract class"
    elif t.IsSealed then "sealed class"
    else "class"

let private memberLine (m: MemberInfo) : string option =
    match m with
    | :? ConstructorInfo as c -> Some("ctor(" + parameters (c.GetParameters()) + ")")
    | :? MethodInfo as mi when not mi.IsSpecialName || mi.Name.StartsWith("op_", StringComparison.Ordinal) ->
        let generic = if mi.IsGenericMethodDefinition then "<" + String.Join(", ", mi.GetGenericArguments() |> Array.map typeName) + ">" else ""
        let modifier = if mi.IsStatic then "static " elif mi.IsAbstract then "abstract " elif mi.IsVirtual && not mi.IsFinal then "virtual " else ""
        Some(modifier + "method " + mi.Name + generic + "(" + parameters (mi.GetParameters()) + ") : " + typeName mi.ReturnType)
    | :? PropertyInfo as p ->
        let getter, setter = p.GetGetMethod(), p.GetSetMethod()
        let accessors = (if isNull getter then "" else "get; ") + (if isNull setter then "" else "set; ")
        let isStatic =
            match getter with
            | null ->
                match setter with
                | null -> false
                | s -> s.IsStatic
            | g -> g.IsStatic
        let indexer = match p.GetIndexParameters() with [||] -> "" | ps -> "[" + parameters ps + "]"
        Some((if isStatic then "static " else "") + "property " + typeName p.PropertyType + " " + p.Name + indexer + " { " + accessors + "}")
    | :? FieldInfo as f -> Some((if f.IsStatic then "static " else "") + (if f.IsLiteral then "const " elif f.IsInitOnly then "readonly " else "") + "field " + typeName f.FieldType + " " + f.Name)
    | :? EventInfo as e -> Some("event " + (match e.EventHandlerType with null -> "?" | h -> typeName h) + " " + e.Name)
    | _ -> None

/// One line per public type (kind, name, base type, interfaces) followed by one indented line per public member
/// declared on it, all sorted ordinally.
let surface (assembly: Assembly) : string list =
    [ for t in assembly.GetExportedTypes() |> Array.sortWith (fun a b -> String.CompareOrdinal(typeName a, typeName b)) do
        let baseType =
            match t.BaseType with
            | null -> ""
            | b when b = typeof<obj> || t.IsEnum || t.IsValueType -> ""
            | b -> " : " + typeName b
        let interfaces = t.GetInterfaces() |> Array.map typeName |> Array.sort
        yield kind t + " " + typeName t + baseType + (if interfaces.Length = 0 then "" else " implements " + String.Join(", ", interfaces))
        let flags = BindingFlags.Public ||| BindingFlags.Instance ||| BindingFlags.Static ||| BindingFlags.DeclaredOnly
        for line in t.GetMembers(flags) |> Array.choose memberLine |> Array.sortWith (fun a b -> String.CompareOrdinal(a, b)) do
            yield "  " + line ]

let private repositoryRoot () =
    let rec up (dir: DirectoryInfo | null) =
        match dir with
        | null -> failwithf "No LogitRank.Verified.sln above %s." AppContext.BaseDirectory
        | d when File.Exists(Path.Combine(d.FullName, "LogitRank.Verified.sln")) -> d.FullName
        | d -> up d.Parent
    up (DirectoryInfo(AppContext.BaseDirectory))

[<Fact>]
let ``LogitRank.FsCheck public surface matches PublicAPI.approved.txt`` () =
    let actual = surface typeof<LogitRank.FsCheck.Arbitraries>.Assembly
    Assert.NotEmpty(actual)
    let path = Path.Combine(repositoryRoot (), "src", "LogitRank.FsCheck", "PublicAPI.approved.txt")
    if Environment.GetEnvironmentVariable("LOGITRANK_ACCEPT_API") = "1" then
        File.WriteAllLines(path, actual)
    let approved = if File.Exists path then File.ReadAllLines path |> List.ofArray else []
    let added = actual |> List.filter (fun l -> not (List.contains l approved))
    let removed = approved |> List.filter (fun l -> not (List.contains l actual))
    let report =
        String.Join("\n", (added |> List.map (fun l -> "+ " + l)) @ (removed |> List.map (fun l -> "- " + l)))
    Assert.True(
        (actual = approved),
        sprintf "The public API of LogitRank.FsCheck differs from %s (rerun with LOGITRANK_ACCEPT_API=1 to accept an intended change, then commit the file):\n%s" path report)

[<Fact>]
let ``the surface listing sees a change of the API`` () =
    // The listing of this very test module (public, in the test assembly) must contain its own test method: a
    // listing that ignored members could never fail the approval test above.
    let lines = surface (Assembly.GetExecutingAssembly())
    Assert.Contains(lines, fun l -> l.Contains("method the surface listing sees a change of the API() : System.Void", StringComparison.Ordinal))
    Assert.Contains(lines, fun l -> l = "static class LogitRank.Properties.PublicApiProperties")
