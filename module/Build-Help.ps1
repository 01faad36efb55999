<#
.SYNOPSIS
    Builds the module's MAML help (module/bin/en-US/TlsTools.PowerShell.dll-Help.xml) from module/help/*.md.
.DESCRIPTION
    Each cmdlet has one markdown file: a "# Verb-Noun" title, then "## Synopsis", "## Description",
    "## Parameters" (one "### -Name" each), "## Inputs", "## Outputs" (one "### Type" each), "## Examples" (one
    "### Title" each, a ```powershell block, then remarks) and optionally "## Notes". Syntax, parameter types,
    positions and pipeline input come from the cmdlets themselves, so they cannot drift from the code.
    Run by the Release build after the module is laid out; fails when a cmdlet has no help file.
    about_*.help.txt topics, and a copy of the MAML file, go beside the root manifest (en-US/), where Get-Help looks
    for them.
#>
param(
    [string] $ModuleManifest = (Join-Path (Split-Path $PSScriptRoot -Parent) 'TlsTools.psd1'),
    [string] $HelpSource = (Join-Path $PSScriptRoot 'help'),
    [string] $OutputFile = (Join-Path $PSScriptRoot 'bin/en-US/TlsTools.PowerShell.dll-Help.xml')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest -Force

function ConvertFrom-HelpMarkdown([string] $Path) {
    $doc = @{ Sections = [ordered]@{} }
    $section = $null; $sub = $null; $buffer = [Text.StringBuilder]::new(); $inCode = $false
    $flush = {
        if ($section) {
            $text = $buffer.ToString().Trim()
            if ($sub) { $doc.Sections[$section] += , @{ Title = $sub; Text = $text } }
            elseif ($text) { $doc.Sections[$section + '#text'] = $text }
        }
        $buffer.Clear() | Out-Null
    }
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line.StartsWith('```')) { $inCode = -not $inCode; $buffer.AppendLine($line) | Out-Null; continue }
        if (-not $inCode -and $line -match '^# (.+)$') { $doc.Name = $Matches[1].Trim(); continue }
        if (-not $inCode -and $line -match '^## (.+)$') {
            & $flush; $section = $Matches[1].Trim(); $sub = $null
            if (-not $doc.Sections.Contains($section)) { $doc.Sections[$section] = @() }
            continue
        }
        if (-not $inCode -and $line -match '^### (.+)$') { & $flush; $sub = $Matches[1].Trim(); continue }
        $buffer.AppendLine($line) | Out-Null
    }
    & $flush
    $doc
}

function Add-Paragraphs([Xml.XmlWriter] $w, [string] $text) {
    $w.WriteStartElement('maml', 'description', $maml)
    foreach ($p in ($text -split "(\r?\n){2,}" | Where-Object { $_.Trim() })) {
        $w.WriteElementString('maml', 'para', $maml, ($p -replace '\s*\r?\n\s*', ' ').Trim())
    }
    $w.WriteEndElement()
}

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

New-Item -ItemType Directory -Force -Path (Split-Path $OutputFile) | Out-Null
$settings = [Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
$temp = "$OutputFile.tmp"
$w = [Xml.XmlWriter]::Create($temp, $settings)
$w.WriteStartDocument()
$w.WriteStartElement('helpItems'); $w.WriteAttributeString('schema', 'maml')
$missing = @()
foreach ($cmd in Get-Command -Module TlsTools -CommandType Cmdlet | Sort-Object Name) {
    $file = Join-Path $HelpSource "$($cmd.Name).md"
    if (-not (Test-Path $file)) { $missing += $cmd.Name; continue }
    $doc = ConvertFrom-HelpMarkdown $file
    $s = $doc.Sections
    $w.WriteStartElement('command', 'command', $command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $w.WriteStartElement('command', 'details', $command)
    $w.WriteElementString('command', 'name', $command, $cmd.Name)
    $w.WriteElementString('command', 'verb', $command, $cmd.Verb)
    $w.WriteElementString('command', 'noun', $command, $cmd.Noun)
    Add-Paragraphs $w $s['Synopsis#text']
    $w.WriteEndElement()
    Add-Paragraphs $w $s['Description#text']

    $paramDocs = @{}
    foreach ($p in $s['Parameters']) { $paramDocs[$p.Title.TrimStart('-')] = $p.Text }
    $w.WriteStartElement('command', 'syntax', $command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $command)
        $w.WriteElementString('maml', 'name', $maml, $cmd.Name)
        foreach ($p in $set.Parameters | Where-Object { $common -notcontains $_.Name }) {
            $w.WriteStartElement('command', 'parameter', $command)
            $w.WriteAttributeString('required', "$($p.IsMandatory)".ToLower())
            $w.WriteAttributeString('position', $(if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }))
            $w.WriteElementString('maml', 'name', $maml, $p.Name)
            if ($p.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                $w.WriteElementString('command', 'parameterValue', $command, $p.ParameterType.Name)
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    # Default values: what a fresh instance of the cmdlet holds before binding (an unset parameter reads "None").
    $fresh = [Activator]::CreateInstance($cmd.ImplementingType)
    $w.WriteStartElement('command', 'parameters', $command)
    foreach ($p in $cmd.Parameters.Values | Where-Object { $common -notcontains $_.Name }) {
        $attrs = $p.ParameterSets.Values
        $byValue = [bool]($attrs | Where-Object ValueFromPipeline)
        $byName = [bool]($attrs | Where-Object ValueFromPipelineByPropertyName)
        $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        $position = ($attrs | Where-Object { $_.Position -ge 0 } | Select-Object -First 1).Position
        $w.WriteStartElement('command', 'parameter', $command)
        $w.WriteAttributeString('required', "$([bool]($attrs | Where-Object IsMandatory))".ToLower())
        # -Path takes wildcards where the cmdlet also has -LiteralPath (the Read- cmdlets); Save-* -Path is literal.
        $w.WriteAttributeString('globbing', $(if ($p.Name -eq 'Path' -and $cmd.Parameters.ContainsKey('LiteralPath')) { 'true' } else { 'false' }))
        $w.WriteAttributeString('pipelineInput', $pipeline)
        $w.WriteAttributeString('position', $(if ($null -ne $position) { "$position" } else { 'named' }))
        $w.WriteElementString('maml', 'name', $maml, $p.Name)
        $text = $paramDocs[$p.Name]
        if (-not $text) { throw "$($cmd.Name): parameter -$($p.Name) has no help in $file" }
        Add-Paragraphs $w $text
        $w.WriteStartElement('command', 'parameterValue', $command)
        $w.WriteAttributeString('required', 'true'); $w.WriteString($p.ParameterType.Name); $w.WriteEndElement()
        $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $p.ParameterType.FullName); $w.WriteEndElement()
        $default = try { $fresh.($p.Name) } catch { $null }
        $defaultText = if ($null -eq $default -or ($default -is [Management.Automation.SwitchParameter] -and -not $default) -or
            ($default -is [Array] -and $default.Count -eq 0) -or "$default" -eq '') { 'None' }
            elseif ($default -is [Management.Automation.SwitchParameter]) { 'True' }
            elseif ($default -is [Array]) { $default -join ', ' } else { "$default" }
        $w.WriteElementString('dev', 'defaultValue', $dev, $defaultText)
        if ($p.Aliases.Count) { $w.WriteElementString('command', 'aliases', $command, ($p.Aliases -join ', ')) }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    foreach ($pair in @(@('Inputs', 'inputTypes', 'inputType'), @('Outputs', 'returnValues', 'returnValue'))) {
        $w.WriteStartElement('command', $pair[1], $command)
        foreach ($t in $s[$pair[0]]) {
            $w.WriteStartElement('command', $pair[2], $command)
            $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $t.Title); $w.WriteEndElement()
            Add-Paragraphs $w $t.Text
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if ($s['Notes#text']) {
        $w.WriteStartElement('maml', 'alertSet', $maml)
        $w.WriteStartElement('maml', 'alert', $maml)
        $w.WriteElementString('maml', 'para', $maml, $s['Notes#text'])
        $w.WriteEndElement(); $w.WriteEndElement()
    }
    $w.WriteStartElement('command', 'examples', $command)
    $i = 0
    foreach ($ex in $s['Examples']) {
        $i++
        if ($ex.Text -notmatch '(?s)```powershell\s*\r?\n(.*?)```(.*)') { throw "$($cmd.Name): example '$($ex.Title)' has no powershell code block" }
        $code = $Matches[1].Trim(); $remarks = $Matches[2].Trim()
        $w.WriteStartElement('command', 'example', $command)
        $w.WriteElementString('maml', 'title', $maml, "-------------------------- Example ${i}: $($ex.Title) --------------------------")
        $w.WriteElementString('dev', 'code', $dev, $code)
        $w.WriteStartElement('dev', 'remarks', $dev)
        $w.WriteElementString('maml', 'para', $maml, $remarks)
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Close()
if ($missing) { Remove-Item $temp; throw "No help file in $HelpSource for: $($missing -join ', ')" }
Move-Item -Force $temp $OutputFile

# About topics: PowerShell looks for them only under the root module's folder (the repository root, where
# TlsTools.psd1 is), so they are copied to <root>/en-US at build time (a build output, ignored by git).
# The cmdlet help goes there too: on PowerShell 7 the cmdlets come from an assembly that module/TlsTools.psm1
# imports with -Assembly, and after a re-import in the same session PowerShell counts them as the root module's,
# whose folder is then the only one it searches for TlsTools.PowerShell.dll-Help.xml.
$aboutDir = Join-Path (Split-Path $ModuleManifest -Parent) 'en-US'
New-Item -ItemType Directory -Force -Path $aboutDir | Out-Null
Get-ChildItem -Path $HelpSource -Filter 'about_*.help.txt' | Copy-Item -Destination $aboutDir -Force
Copy-Item -LiteralPath $OutputFile -Destination $aboutDir -Force

# about_TlsTools_ErrorIds: every stable ErrorId, generated from the one place that defines them ([TlsTools.ErrorIds]).
$ids = [TlsTools.ErrorIds]::All
$width = ($ids | ForEach-Object { $_.Key.Length } | Measure-Object -Maximum).Maximum
$lines = @(
    'TOPIC'
    '    about_TlsTools_ErrorIds'
    ''
    'SHORT DESCRIPTION'
    '    The stable ErrorIds TlsTools reports, and what each one means.'
    ''
    'LONG DESCRIPTION'
    '    Every error TlsTools writes is an ErrorRecord whose FullyQualifiedErrorId starts with one of the ids'
    '    below (followed by ",<cmdlet>"); a failed handshake or scan result carries the same id in its ErrorId'
    '    property. Scripts may depend on these names: they do not change. Chain validation failures are not'
    '    errors but answers: see the Check names of Test-CertificateChain''s Failures.'
    ''
    '    Catch one by id:'
    ''
    '        try { Read-Certificate -Path ./missing.pem -ErrorAction Stop }'
    '        catch { if ($_.FullyQualifiedErrorId -like ''PathNotFound,*'') { ''no such file'' } }'
    ''
    "    $($ids.Count) ids:"
    ''
)
$lines += foreach ($p in $ids) { '    {0}  {1}' -f $p.Key.PadRight($width), $p.Value }
$lines += @('', 'SEE ALSO', '    about_TlsTools', '')
Set-Content -LiteralPath (Join-Path $aboutDir 'about_TlsTools_ErrorIds.help.txt') -Value $lines -Encoding utf8
