# Shared by every Pester file: imports the built module and makes test PKI at run time.
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'
$script:RepoRoot = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $script:RepoRoot 'TlsTools.psd1') -Force -ErrorAction Stop

$script:Password = ConvertTo-SecureString 'Corr3ct-Horse!' -AsPlainText -Force
$script:PasswordText = 'Corr3ct-Horse!'
$script:WrongPassword = ConvertTo-SecureString 'not-the-password' -AsPlainText -Force
$script:AllAlgorithms = 'EcdsaP256', 'EcdsaP384', 'EcdsaP521', 'Rsa2048', 'Rsa3072', 'Rsa4096', 'Ed25519'

function Get-ChildPwshCommand {
    <# How to start a child PowerShell like this one: its executable, plus pwsh.dll when it is the dotnet muxer (dotnet pwsh). #>
    $exe = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @($exe, (Join-Path $PSHOME 'pwsh.dll')) } else { @($exe) }
}

function Invoke-OpenSsl {
    <# Runs openssl with the arguments as given; returns its combined output as one string and sets $script:OpenSslExit. #>
    $output = & openssl @args 2>&1 | Out-String
    $script:OpenSslExit = $LASTEXITCODE
    $output
}

function New-TestChain {
    <# A root, an intermediate and a server leaf for www.example.test, all with keys. #>
    param([string] $Algorithm = 'EcdsaP256', [string] $Name = 'Test')
    $root = New-CaCertificate -Subject "CN=$Name Root CA, O=TlsTools Tests" -Algorithm $Algorithm
    $inter = New-CaCertificate -Subject "CN=$Name Issuing CA, O=TlsTools Tests" -Algorithm $Algorithm -Issuer $root -PathLength 0
    $leaf = New-Certificate -Issuer $inter -Subject 'CN=www.example.test' -DnsName 'www.example.test', 'example.test' -IpAddress '127.0.0.1' -Algorithm $Algorithm
    [pscustomobject]@{ Root = $root; Intermediate = $inter; Leaf = $leaf }
}

function Get-ErrorId {
    <# Runs a script block that must fail with a non-terminating or terminating error; returns the ErrorId. #>
    param([scriptblock] $Script)
    try { & { $ErrorActionPreference = 'Stop'; . $Script } | Out-Null } catch { return $_.FullyQualifiedErrorId.Split(',')[0] }
    $null
}

function Get-OpenSslSpkiSha256 {
    <# SHA-256 of the public key's DER SubjectPublicKeyInfo, as openssl computes it from a key or certificate file. #>
    param([string] $Path, [switch] $Certificate, [string] $PassIn)
    $der = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString() + '.der')
    try {
        if ($Certificate) {
            $pem = & openssl x509 -in $Path -pubkey -noout 2>&1 | Out-String
            $pemFile = "$der.pem"; Set-Content -Path $pemFile -Value $pem -NoNewline
            & openssl pkey -pubin -in $pemFile -outform DER -out $der 2>&1 | Out-Null
            Remove-Item $pemFile
        } else {
            $pass = if ($PassIn) { @('-passin', "pass:$PassIn") } else { @() }
            & openssl pkey -in $Path @pass -pubout -outform DER -out $der 2>&1 | Out-Null
        }
        $bytes = [IO.File]::ReadAllBytes($der)
        -join ([Security.Cryptography.SHA256]::Create().ComputeHash($bytes) | ForEach-Object { $_.ToString('X2') })
    } finally { Remove-Item $der -ErrorAction Ignore }
}
