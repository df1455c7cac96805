; RRN Self-Audit: per-user Windows installer for the PyInstaller one-folder bundle.
;
; Compile (installers/build_installer.py does this for you):
;   makensis -V2 -DVERSION=0.1.0 -DDIST_DIR=C:\path\to\dist\rrn-desktop
;            -DOUT_FILE=C:\path\to\RRN-Self-Audit-0.1.0-setup.exe installers\windows\rrn-desktop.nsi
;
; Installs for the current user only, with no administrator rights: program files go to
; %LOCALAPPDATA%\Programs\RRN Self-Audit and the registry is written only under HKCU.
; The audit data (%LOCALAPPDATA%\RRN Self-Audit) is never touched by the installer or the
; uninstaller. The uninstaller removes only what the installer put in place.

Unicode true

;--------------------------------------------------------------------------------------------
; Build settings passed on the command line

!ifndef VERSION
  !error "VERSION is not defined: pass -DVERSION=X.Y.Z (for example -DVERSION=0.1.0)."
!endif
!ifndef DIST_DIR
  !error "DIST_DIR is not defined: pass -DDIST_DIR=<absolute path to dist\rrn-desktop>."
!endif
!ifndef OUT_FILE
  !error "OUT_FILE is not defined: pass -DOUT_FILE=<absolute path of the setup .exe to write>."
!endif

; VERSION must be three numbers, X.Y.Z; Windows' version resource takes X.Y.Z.0.
!searchparse /noerrors "${VERSION}" "" VERSION_MAJOR "." VERSION_MINOR "." VERSION_PATCH
!ifdef VERSION_PATCH
  !searchparse /noerrors "${VERSION_PATCH}" "" VERSION_PATCH_ONLY "." VERSION_EXTRA
!endif
!ifndef VERSION_PATCH
  !define VERSION_EXTRA
!endif
!ifdef VERSION_EXTRA
  !error "VERSION (${VERSION}) must be three numbers, X.Y.Z (for example 0.1.0)."
!endif

!define PRODUCT_NAME "RRN Self-Audit"
!define PUBLISHER "RRN Self-Audit project"
!define PROGRAM "rrn-desktop.exe"
!define UNINSTALLER "uninstall.exe"
!define DATA_FOLDER_NAME "RRN Self-Audit"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\RRNSelfAudit"
; Relative to this script's folder (makensis works from there); makensis on Linux reads the
; backslashes as folder separators too.
!define ICON_FILE "..\..\resources\icons\rrn-desktop.ico"

; The program inside the bundle: rrn-desktop.exe on Windows. On Linux the bundle holds
; "rrn-desktop" with no .exe; it is packed under the Windows name only so that the script can
; be proved to compile there.
!if /FileExists "${DIST_DIR}\${PROGRAM}"
  !define PROGRAM_SOURCE "${DIST_DIR}\${PROGRAM}"
!else if /FileExists "${DIST_DIR}\rrn-desktop"
  !define PROGRAM_SOURCE "${DIST_DIR}\rrn-desktop"
!else
  !error "DIST_DIR (${DIST_DIR}) holds no ${PROGRAM}: build the bundle from build.spec first."
!endif
!if ! /FileExists "${DIST_DIR}\_internal\*.*"
  !error "DIST_DIR (${DIST_DIR}) has no _internal folder: is it PyInstaller's one-folder bundle?"
!endif

;--------------------------------------------------------------------------------------------
; General

Name "${PRODUCT_NAME}"
OutFile "${OUT_FILE}"
SetCompressor /SOLID lzma
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT_NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT_NAME} ${VERSION}"
ManifestDPIAware true
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${PRODUCT_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "FileDescription" "${PRODUCT_NAME} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

;--------------------------------------------------------------------------------------------
; Pages

!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "Are you sure you want to stop installing ${PRODUCT_NAME}?"

!define MUI_WELCOMEPAGE_TITLE "Install ${PRODUCT_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "This will install ${PRODUCT_NAME} ${VERSION} on this computer, for you only. You do not need administrator rights.$\r$\n$\r$\nIf an older version is already installed, it will be updated in place. Your audit data is kept as it is.$\r$\n$\r$\nPlease close ${PRODUCT_NAME} if it is open, then click Next."
!insertmacro MUI_PAGE_WELCOME

!define MUI_COMPONENTSPAGE_NODESC
!insertmacro MUI_PAGE_COMPONENTS

!define MUI_PAGE_CUSTOMFUNCTION_LEAVE DirectoryLeave
!insertmacro MUI_PAGE_DIRECTORY

!insertmacro MUI_PAGE_INSTFILES

!define MUI_FINISHPAGE_TITLE "${PRODUCT_NAME} is installed"
!define MUI_FINISHPAGE_TEXT "${PRODUCT_NAME} ${VERSION} is ready to use. You will find it in the Start menu.$\r$\n$\r$\nYour audit data is kept in your own folder on this computer, and the app backs it up every day it starts."
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PROGRAM}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${PRODUCT_NAME} now"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "Only the program is removed. Your audit data and its backups are kept in $LOCALAPPDATA\${DATA_FOLDER_NAME}, so you can install the app again later and carry on."
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

;--------------------------------------------------------------------------------------------
; Helpers

; Waits, with Retry/Cancel, until the program file can be opened for writing: Windows refuses
; that while RRN Self-Audit is running. Cancel stops without having changed anything.
!macro WAIT_UNTIL_CLOSED UN
Function ${UN}WaitUntilClosed
  ${IfNot} ${FileExists} "$INSTDIR\${PROGRAM}"
    Return
  ${EndIf}
  retry:
  ClearErrors
  FileOpen $0 "$INSTDIR\${PROGRAM}" a
  ${IfNot} ${Errors}
    FileClose $0
    Return
  ${EndIf}
  MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
    "${PRODUCT_NAME} is still open.$\r$\n$\r$\nPlease close ${PRODUCT_NAME} (and give it a few seconds to finish saving), then click Retry.$\r$\n$\r$\nClick Cancel to stop without changing anything." \
    /SD IDCANCEL IDRETRY retry
  DetailPrint "Stopped: ${PRODUCT_NAME} is still open. Nothing was changed."
  SetErrorLevel 2
  Abort
FunctionEnd
!macroend
!insertmacro WAIT_UNTIL_CLOSED ""
!insertmacro WAIT_UNTIL_CLOSED "un."

; The data folder must never become the program folder: the uninstaller must be able to
; leave it alone.
Function DirectoryLeave
  ${If} "$INSTDIR" == "$LOCALAPPDATA\${DATA_FOLDER_NAME}"
    MessageBox MB_OK|MB_ICONEXCLAMATION \
      "That folder holds your audit data. Please choose a different folder for the program."
    Abort
  ${EndIf}
FunctionEnd

;--------------------------------------------------------------------------------------------
; Installer

Section "${PRODUCT_NAME} (required)" SecProgram
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"

  ; Upgrading in place: the old version must be closed, and its _internal folder goes first
  ; so that no library from the old version lingers next to the new one. Nothing else in the
  ; folder is touched.
  Call WaitUntilClosed
  ${If} ${FileExists} "$INSTDIR\_internal\*.*"
  ${AndIf} ${FileExists} "$INSTDIR\${PROGRAM}"
    DetailPrint "Removing the files of the version already installed..."
    remove_old:
    ClearErrors
    RMDir /r "$INSTDIR\_internal"
    ${If} ${Errors}
    ${OrIf} ${FileExists} "$INSTDIR\_internal\*.*"
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
        "Some files of the version already installed are still in use.$\r$\n$\r$\nPlease close ${PRODUCT_NAME}, then click Retry. Click Cancel to stop; you can run this installer again later." \
        /SD IDCANCEL IDRETRY remove_old
      DetailPrint "Stopped: files of the old version are still in use."
      SetErrorLevel 2
      Abort
    ${EndIf}
  ${EndIf}

  File "/oname=${PROGRAM}" "${PROGRAM_SOURCE}"
  File /r "${DIST_DIR}\_internal"

  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortCut "$SMPROGRAMS\${PRODUCT_NAME}.lnk" "$INSTDIR\${PROGRAM}" "" \
    "$INSTDIR\${PROGRAM}" 0 SW_SHOWNORMAL "" "Benchmark and improve restraint reduction"

  ; Add/remove programs, for this user only.
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${PROGRAM},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR\_internal" "/S=0K" $0 $1 $2
  ${GetSize} "$INSTDIR" "/M=${PROGRAM} /S=0K /G=0" $1 $2 $3
  IntOp $0 $0 + $1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "Desktop shortcut" SecDesktop
  SetShellVarContext current
  CreateShortCut "$DESKTOP\${PRODUCT_NAME}.lnk" "$INSTDIR\${PROGRAM}" "" \
    "$INSTDIR\${PROGRAM}" 0 SW_SHOWNORMAL "" "Benchmark and improve restraint reduction"
SectionEnd

;--------------------------------------------------------------------------------------------
; Uninstaller: removes only what the installer put in place. The audit data is kept.

Section "Uninstall"
  SetShellVarContext current
  Call un.WaitUntilClosed

  Delete "$SMPROGRAMS\${PRODUCT_NAME}.lnk"
  Delete "$DESKTOP\${PRODUCT_NAME}.lnk"

  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${PROGRAM}"
  Delete "$INSTDIR\${UNINSTALLER}"
  ; Not /r: if other files were put in this folder, they and the folder stay.
  RMDir "$INSTDIR"

  DeleteRegKey HKCU "${UNINSTALL_KEY}"

  DetailPrint "Your audit data is kept in $LOCALAPPDATA\${DATA_FOLDER_NAME}."
SectionEnd
