@echo off
rem Caravan launcher for Windows. JAVA_HOME, JAVA_OPTS and CARAVAN_OPTS as for bin/caravan.
setlocal
set "APP_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
if not defined JAVA_OPTS set "JAVA_OPTS=-Xmx512m -XX:+ExitOnOutOfMemoryError"
rem lib\ is the server's class path; tools\ (the traffic generator) is added for `generate` only.
rem The command is the first argument that is not an option or the value of --home / --config.
set "CP=%APP_HOME%\lib\*"
set "COMMAND="
set "SKIP="
for %%a in (%*) do (
  if not defined COMMAND (
    if defined SKIP (set "SKIP=") else (
      if "%%~a"=="--home" (set "SKIP=1") else if "%%~a"=="--config" (set "SKIP=1") else (
        set "ARG=%%~a"
        call :classify
      )
    )
  )
)
if "%COMMAND%"=="generate" set "CP=%CP%;%APP_HOME%\tools\*"
"%JAVA%" %JAVA_OPTS% %CARAVAN_OPTS% "-Dcaravan.home=%APP_HOME%" "-Dlogback.configurationFile=%APP_HOME%\config\logback.xml" -cp "%CP%" io.caravan.server.cli.Caravan %*
exit /b %ERRORLEVEL%

:classify
if "%ARG:~0,1%"=="-" exit /b 0
set "COMMAND=%ARG%"
exit /b 0
