from fluxagent.cli import main

main()
