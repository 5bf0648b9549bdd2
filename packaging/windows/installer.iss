; Inno Setup script: one setup .exe that installs the invigilation station on a Windows PC.
;
;   1. build the bundle on Windows (README, "Installing on exam-room PCs"):
;        .venv\Scripts\python -m PyInstaller --noconfirm --distpath packaging\dist ^
;            --workpath packaging\build packaging\invigilator-app.spec
;   2. "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\windows\installer.iss
;      -> packaging\dist\invigilator-app-<version>-windows-x64-setup.exe
;
; The version comes from the executable's version resource, which the spec writes from
; pyproject.toml; pass /DAppVersion=1.2.3 to ISCC to override it.
;
; Installs for all users in Program Files (an administrator runs it; /CURRENTUSER or the
; dialog installs for one user instead). Silent install for deployment tools:
;   invigilator-app-<version>-windows-x64-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;
; Uninstalling removes the program only. Each user's store - store.db, keyslots.json and
; backups\ in %LOCALAPPDATA%\InvigilationStation - is never deleted: there is deliberately
; no [UninstallDelete] entry for it, and a reinstall or upgrade opens it again.

#define AppName "Invigilation station"
#define AppExe "invigilator-app.exe"
#define CliExe "invigilator-app-cli.exe"
#define BundleDir "..\dist\invigilator-app"
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(AddBackslash(SourcePath) + BundleDir + "\" + AppExe)
#endif

[Setup]
AppId={{B489D739-46B4-49F9-873A-63ABFF2288A1}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Invigilation station
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\Invigilation station
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
SetupIconFile=..\..\resources\icons\invigilator-app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\dist
OutputBaseFilename=invigilator-app-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle, so no file of an older version is left behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Records of invigilated online assessments"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself may have written inside its own folder.
Type: filesandordirs; Name: "{app}\_internal\invigilator_app\store\migrations\__pycache__"
Type: filesandordirs; Name: "{app}\_internal\invigilator_app\store\migrations\versions\__pycache__"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('The invigilation station has been removed. Each user''s store, in ' +
      '%LOCALAPPDATA%\InvigilationStation, has been kept; delete it by hand only once ' +
      'its records are no longer needed.', mbInformation, MB_OK);
end;
